package io.streamsight.deploy.bench;

import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.vlm.fixture.ModelDims;
import io.streamsight.vlm.fixture.RandomIdefics3Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code streamsight summarize VIDEO --model DIR} side by side with the same video through the
 * streaming pipeline (embedded broker + {@code sampler} + {@code operator --local} + {@code ingest}
 * of the file as fast as it decodes, {@link PipelineBenchmarkRun}), run by {@code
 * deploy/cli/bench-summarize.sh} (not a test: prints figures).
 *
 * <p>Both run in a fresh JVM of their own, one after the other (never together: they would share
 * the two cores), alternating which goes first from round to round, with the shipped defaults. The
 * figures per minute of video: everything from process start, and the time after start-up (for
 * {@code summarize}: after its first progress line, i.e. with the JVM up, the model loaded and the
 * video open; for the pipeline: after broker, topics, sampler and operator with its model loaded).
 *
 * <p>Arguments: WORK_DIR (the video is kept there between runs), ROUNDS, MODEL_DIR (written with
 * random SmolVLM-256M-sized weights, seed 42, when it holds no model: what {@code streamsight model
 * fixture --dims smolvlm-256m} writes).
 */
public final class SummarizeBenchmark {
  private static final Pattern SUMMARISED =
      Pattern.compile(
          "summarised ([0-9.]+) s of video in ([0-9.]+) s: (\\d+) windows, (\\d+) described,"
              + " (\\d+) keyframes");

  private SummarizeBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "target/summarize-bench").toAbsolutePath();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path model =
        Path.of(args.length > 2 ? args[2] : "target/bench-models/smolvlm-256m-random")
            .toAbsolutePath();
    Files.createDirectories(work);
    Path video = video(work);
    ensureModel(model);
    List<Map<String, String>> summarize = new ArrayList<>();
    List<Map<String, String>> pipeline = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      // Alternating the order spreads a noisy spell of the shared machine over both sides.
      if (round % 2 == 1) {
        summarize.add(summarize(work, video, model, round));
        pipeline.add(pipeline(work, video, model, round));
      } else {
        pipeline.add(pipeline(work, video, model, round));
        summarize.add(summarize(work, video, model, round));
      }
    }
    report(summarize, pipeline);
  }

  /**
   * The benchmark video, written once: the demo sample's six 10 s solid-colour scenes with sensor
   * noise (red, yellow, blue, green, white, blue), at 1280x720, 25 fps, 60 s, as in the earlier
   * {@code summarize} figures of docs/benchmarks.md.
   */
  static Path video(Path work) throws IOException {
    Path file = work.resolve("scenes-720p25-60s.mp4");
    if (Files.isRegularFile(file) && Files.size(file) > 0) {
      return file;
    }
    int seg = 10 * 25;
    Path tmp = work.resolve("scenes-720p25-60s.tmp.mp4");
    SyntheticVideo.builder(1280, 720, 25)
        .add(Segment.solid(200, 30, 30, seg).withNoise(6))
        .add(Segment.solid(230, 220, 40, seg).withNoise(6))
        .add(Segment.solid(30, 40, 200, seg).withNoise(6))
        .add(Segment.solid(40, 170, 60, seg).withNoise(6))
        .add(Segment.solid(235, 235, 235, seg).withNoise(6))
        .add(Segment.solid(30, 40, 200, seg).withNoise(6))
        .write(tmp);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  static void ensureModel(Path model) {
    if (!Files.isRegularFile(model.resolve("onnx/decoder_model_merged.onnx"))) {
      System.out.println("writing a random-weight SmolVLM-256M-sized model to " + model);
      RandomIdefics3Model.write(model, ModelDims.parse("smolvlm-256m"), 42);
    }
  }

  /** {@code streamsight summarize VIDEO --model DIR --json --out FILE} in its own JVM. */
  static Map<String, String> summarize(Path work, Path video, Path model, int round)
      throws Exception {
    Path out = work.resolve("summary-" + round + ".json");
    Path times = work.resolve("summarize-" + round + ".time");
    Path log = work.resolve("summarize-" + round + ".log");
    List<String> cmd = childJvm(times);
    cmd.addAll(
        List.of(
            "io.streamsight.deploy.Main",
            "summarize",
            video.toString(),
            "--model",
            model.toString(),
            "--json",
            "--out",
            out.toString()));
    String loadBefore = loadAverage();
    long forked = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectOutput(log.toFile()).start();
    // The progress bar's first draw (a carriage return on stderr) marks the end of start-up: it
    // is drawn once the model is loaded and the first frames have been decoded.
    long firstProgress = 0;
    StringBuilder err = new StringBuilder();
    try (InputStream in = p.getErrorStream();
        OutputStream copy = Files.newOutputStream(work.resolve("summarize-" + round + ".err"))) {
      int c;
      while ((c = in.read()) != -1) {
        if (c == '\r' && firstProgress == 0) {
          firstProgress = System.nanoTime();
        }
        err.append((char) c);
        copy.write(c);
      }
    }
    int code = p.waitFor();
    long exited = System.nanoTime();
    if (code != 0) {
      throw new IllegalStateException("summarize exited " + code + ":\n" + err);
    }
    Matcher m = SUMMARISED.matcher(err);
    if (!m.find() || firstProgress == 0) {
      throw new IllegalStateException("summarize printed no progress or no result line:\n" + err);
    }
    String[] t = Files.readString(times).strip().split("\\s+");
    Map<String, String> r = new LinkedHashMap<>();
    r.put("round", Integer.toString(round));
    r.put("videoS", m.group(1));
    r.put("totalS", seconds(exited - forked));
    r.put("startupS", seconds(firstProgress - forked));
    r.put("runS", seconds(exited - firstProgress));
    r.put("commandS", m.group(2));
    r.put("cpuS", fmt(Double.parseDouble(t[1]) + Double.parseDouble(t[2])));
    r.put("windows", m.group(3));
    r.put("summaries", m.group(4));
    r.put("keyframes", m.group(5));
    r.put("load", loadBefore + " -> " + loadAverage());
    System.out.println("SUMMARIZE " + r);
    return r;
  }

  /** {@link PipelineBenchmarkRun} in its own JVM; its result is its last stdout line. */
  static Map<String, String> pipeline(Path work, Path video, Path model, int round)
      throws Exception {
    Path dir = work.resolve("pipeline-" + round);
    deleteTree(dir);
    Files.createDirectories(dir);
    Path log = work.resolve("pipeline-" + round + ".log");
    List<String> cmd = childJvm(work.resolve("pipeline-" + round + ".time"));
    String loadBefore = loadAverage();
    cmd.addAll(
        List.of(
            PipelineBenchmarkRun.class.getName(),
            dir.toString(),
            video.toString(),
            model.toString(),
            Long.toString(System.currentTimeMillis())));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int code = p.waitFor();
    String result =
        Files.readAllLines(log, StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith(PipelineBenchmarkRun.RESULT))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("pipeline run exited " + code + ", see " + log));
    Map<String, String> r = new LinkedHashMap<>();
    r.put("round", Integer.toString(round));
    for (String kv : result.substring(PipelineBenchmarkRun.RESULT.length()).trim().split(" ")) {
      String[] e = kv.split("=", 2);
      r.put(e[0], e[1]);
    }
    r.put("load", loadBefore + " -> " + loadAverage());
    System.out.println("PIPELINE " + r);
    deleteTree(dir);
    return r;
  }

  /**
   * A JVM like the one {@code ./streamsight} starts (no heap limit, the CLI's log configuration),
   * on this classpath, timed by /usr/bin/time (user and system CPU of the whole process).
   */
  private static List<String> childJvm(Path times) {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of("/usr/bin/time", "-f", "%e %U %S", "-o", times.toString()));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Dlog4j2.configurationFile=log4j2.xml", "-cp", System.getProperty("java.class.path")));
    return cmd;
  }

  private static void report(List<Map<String, String>> sum, List<Map<String, String>> pipe) {
    System.out.println();
    System.out.println(
        "RESULTS (seconds of processing per minute of video; ratio = pipeline / summarize)");
    for (int i = 0; i < sum.size(); i++) {
      Map<String, String> s = sum.get(i);
      Map<String, String> p = pipe.get(i);
      double perMinute = 60.0 / Double.parseDouble(s.get("videoS"));
      System.out.printf(
          Locale.ROOT,
          "round %s: summarize total %.1f s/min (start-up %.1f s, after start-up %.1f s/min,"
              + " CPU %.1f s), %s windows, %s described, %s keyframes, load %s%n",
          s.get("round"),
          d(s, "totalS") * perMinute,
          d(s, "startupS"),
          d(s, "runS") * perMinute,
          d(s, "cpuS"),
          s.get("windows"),
          s.get("summaries"),
          s.get("keyframes"),
          s.get("load"));
      if (!"ok".equals(p.get("status"))) {
        System.out.printf("round %s: pipeline did not finish: %s%n", p.get("round"), p);
        continue;
      }
      System.out.printf(
          Locale.ROOT,
          "round %s: pipeline total %.1f s/min (start-up %.1f s, ingest start -> last summary"
              + " readable %.1f s/min, written (before the checkpoint commits it) at %.1f s;"
              + " CPU %.1f s, after start-up %.1f s), %s windows with keyframes, %s summaries,"
              + " %s shed, %s dead-lettered, %s keyframes; ingest %.1f s; last window end -> its"
              + " summary readable %.1f s; load %s%n",
          p.get("round"),
          d(p, "totalS") * perMinute,
          d(p, "startupS"),
          d(p, "runS") * perMinute,
          d(p, "lastWrittenS") * perMinute,
          d(p, "cpuS"),
          d(p, "cpuRunS"),
          p.get("windows"),
          p.get("summaries"),
          p.get("shed"),
          p.get("deadLettered"),
          p.get("keyframes"),
          d(p, "ingestS"),
          d(p, "lastWindowLagS"),
          p.get("load"));
      System.out.printf(
          Locale.ROOT,
          "round %s: ratio pipeline / summarize: total %.2f, after start-up %.2f, CPU %.2f%n",
          s.get("round"),
          d(p, "totalS") / d(s, "totalS"),
          d(p, "runS") / d(s, "runS"),
          d(p, "cpuS") / d(s, "cpuS"));
    }
  }

  private static double d(Map<String, String> m, String key) {
    return Double.parseDouble(m.get(key));
  }

  static String seconds(long nanos) {
    return fmt(nanos / 1e9);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** The 1-minute load average (other builds share this machine's two cores). */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
