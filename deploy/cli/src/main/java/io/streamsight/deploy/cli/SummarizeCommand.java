package io.streamsight.deploy.cli;

import io.streamsight.deploy.demo.DemoModel;
import io.streamsight.deploy.summarize.FrameFeed;
import io.streamsight.deploy.summarize.SummarizeException;
import io.streamsight.deploy.summarize.SummarizeSettings;
import io.streamsight.deploy.summarize.SummaryOutput;
import io.streamsight.deploy.summarize.VideoSummarizer;
import io.streamsight.deploy.summarize.VideoSummary;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.ingest.source.SourceException;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.model.ModelLoadException;
import io.streamsight.vlm.operator.inference.EngineOptions;
import io.streamsight.vlm.remote.OpenAiCompatibleModel;
import io.streamsight.vlm.runtime.RuntimeConfig;
import io.streamsight.vlm.timeline.EmbeddingSimilarity;
import io.streamsight.vlm.timeline.TimelineMerger;
import io.streamsight.vlm.timeline.WordOverlapSimilarity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.bytedeco.ffmpeg.global.avutil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamsight summarize VIDEO}: a timeline and a short narrative of a video file, in one
 * process, without a broker or Flink. Bad input (not a video, nothing decodable, no usable model)
 * is one line on stderr and exit 1; a partly damaged video is summarised as far as it decodes, and
 * what was skipped is listed on stderr.
 */
@Command(
    name = "summarize",
    aliases = "summarise",
    mixinStandardHelpOptions = true,
    description = {
      "Summarise a video file: a timeline (scenes that say the same thing merged, with start and"
          + " end) and a short narrative. No broker or Flink needed.",
      "The model is --model (a directory, or an OpenAI-compatible server's http(s)://.../v1"
          + " URL), else one pulled with 'model pull', else the colour fixture."
    })
public final class SummarizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VIDEO", description = "Video file (any FFmpeg format).")
  Path video;

  @Mixin ModelChoiceOptions model;

  @Option(
      names = "--window",
      defaultValue = "10s",
      description = "Length of the windows the video is described in (default: ${DEFAULT-VALUE}).")
  Duration window;

  @Option(
      names = "--fps",
      defaultValue = "2",
      description = "Frames per second taken from the video (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--json", description = "Print one JSON object instead of the timeline text.")
  boolean json;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the result to FILE.")
  Path out;

  @Mixin EngineChoiceOptions engine;

  @Override
  public Integer call() throws InterruptedException {
    SummarizeSettings settings;
    try {
      settings = SummarizeSettings.DEFAULTS.withWindow(window).withFps(fps);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    Level logLevel = LogManager.getLogger("io.streamsight").getLevel();
    if (System.getenv("STREAMSIGHT_LOG_LEVEL") == null) {
      // Progress and results are this command's output; INFO lines (source opened, provider
      // chosen) would break the progress bar. STREAMSIGHT_LOG_LEVEL=INFO brings them back.
      Configurator.setLevel("io.streamsight", Level.WARN);
    }
    try {
      return run(settings, err);
    } finally {
      Configurator.setLevel("io.streamsight", logLevel); // as it was, for an in-process caller
    }
  }

  private int run(SummarizeSettings settings, PrintWriter err) throws InterruptedException {
    // FFmpeg's own log would print per damaged packet; what was skipped is counted and reported
    // once at the end instead.
    avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    long started = System.nanoTime();
    ModelChoiceOptions.Choice choice = model.resolve(spec.commandLine());
    DemoModel chosen = null;
    if (choice.server() == null) {
      try {
        chosen = DemoModel.resolve(choice.dir(), engine.variant());
      } catch (ModelLoadException | IllegalArgumentException e) {
        return fail(err, e.getMessage());
      }
      if (chosen.fixture()) {
        err.println(chosen.banner());
      }
    }
    CompletableFuture<MiniLmEmbedder> minilm = CompletableFuture.completedFuture(null);
    try (FrameFeed feed = VideoSummarizer.open(video, settings)) {
      // The video opens (else nothing more is loaded). The sentence-embedding model (about a
      // second to load) is needed only at the end: load it while the video decodes and the VLM
      // describes.
      minilm = CompletableFuture.supplyAsync(MiniLmEmbedder::load);
      try (VisionLanguageModel vlm =
          chosen != null
              ? VlmEngine.load(chosen.dir(), engineConfig(chosen))
              : OpenAiCompatibleModel.open(choice.server())) {
        return summarize(feed, vlm, settings, minilm, started, err);
      }
    } catch (SourceException | SummarizeException | ModelLoadException e) {
      return fail(err, e.getMessage());
    } catch (IOException e) {
      return fail(err, "cannot write " + out + ": " + e.getMessage());
    } finally {
      minilm.thenAccept(
          m -> {
            if (m != null) {
              m.close();
            }
          });
    }
  }

  private int summarize(
      FrameFeed feed,
      VisionLanguageModel vlm,
      SummarizeSettings settings,
      CompletableFuture<MiniLmEmbedder> minilm,
      long started,
      PrintWriter err)
      throws SummarizeException, InterruptedException, IOException {
    VideoSummarizer summarizer =
        new VideoSummarizer(vlm, vlm.modelId(), merger(minilm, err), settings, err);
    VideoSummary summary = summarizer.run(feed, video);
    for (String s : summary.skipped()) {
      err.println("skipped: " + s);
    }
    String text = json ? SummaryOutput.json(summary) + "\n" : SummaryOutput.text(summary);
    if (out != null) {
      Files.writeString(out, text, StandardCharsets.UTF_8);
    } else {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }
    VideoSummary.Counts c = summary.counts();
    err.printf(
        Locale.ROOT,
        "summarised %.1f s of video in %.1f s: %d windows, %d described, %d keyframes%s%n",
        summary.durationSeconds(),
        (System.nanoTime() - started) / 1e9,
        c.windows(),
        c.described(),
        c.keyframes(),
        out != null ? "; wrote " + out : "");
    err.flush();
    return 0;
  }

  private EngineConfig engineConfig(DemoModel m) {
    EngineOptions o = engine.toEngineOptions(m.variant());
    return EngineConfig.DEFAULT
        .withVariant(o.variant())
        .withRuntime(
            RuntimeConfig.AUTO.withProvider(o.provider()).withTensorRtFp16(o.tensorRtFp16()));
  }

  /**
   * The merge by meaning (all-MiniLM-L6-v2); should that model not load, word overlap, with a
   * warning, rather than no timeline at all.
   */
  private static Supplier<TimelineMerger> merger(
      CompletableFuture<MiniLmEmbedder> minilm, PrintWriter err) {
    return () -> {
      try {
        MiniLmEmbedder e = minilm.join();
        return new TimelineMerger(
            new EmbeddingSimilarity(e::embed), EmbeddingSimilarity.DEFAULT_THRESHOLD);
      } catch (CompletionException e) {
        err.println(
            "warning: the sentence-embedding model did not load ("
                + e.getCause().getMessage()
                + "); merging windows by shared words instead");
        return new TimelineMerger(
            new WordOverlapSimilarity(), WordOverlapSimilarity.DEFAULT_THRESHOLD);
      }
    };
  }

  private int fail(PrintWriter err, String message) {
    err.println("streamsight summarize: " + message);
    err.flush();
    return 1;
  }
}
