package io.streamsight.deploy.bench.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.deploy.bench.capacity.CapacityRun.Settings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code streamsight bench capacity}: how many cameras one machine carries at the alert bound. For
 * each N (ascending) a fresh pipeline runs N cameras at 5 fps ({@link CapacityRun}); each prints
 * one JSON line. It stops at the first N that breaks the bound (alert p99 <= 2 s + model time, no
 * windows shed, no frame dropped, no event missed) unless told to go on, and names the largest N
 * that kept it and the stage that saturated first.
 */
public final class CapacityBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Integer> cameras;
  private final Settings template;
  private final boolean keepGoing;
  private final PrintStream out;

  /** {@code template.cameras()} is ignored: each N in {@code cameras} replaces it. */
  public CapacityBenchmark(
      List<Integer> cameras,
      double fps,
      Duration warmup,
      Duration duration,
      Duration eventPeriod,
      Duration eventLength,
      int samplers,
      Path model,
      Path dir,
      boolean keepGoing,
      PrintStream out) {
    this.cameras = List.copyOf(cameras);
    this.template =
        new Settings(0, fps, warmup, duration, eventPeriod, eventLength, samplers, model, dir);
    this.keepGoing = keepGoing;
    this.out = out;
  }

  /** Runs the rows; returns the largest N within the bound, 0 if none. */
  public int run() throws Exception {
    int best = 0;
    String firstBreak = null;
    for (int n : cameras) {
      Settings s =
          new Settings(
              n,
              template.fps(),
              template.warmup(),
              template.duration(),
              template.eventPeriod(),
              template.eventLength(),
              template.samplers(),
              template.model(),
              Files.createDirectories(template.dir().resolve("n" + n)));
      out.printf("capacity: %d cameras x %.0f fps, %d sampler(s)...%n", n, s.fps(), s.samplers());
      Map<String, Object> row = new CapacityRun(s, out).run();
      out.println(JSON.writeValueAsString(nullForNaN(row)));
      if (Boolean.TRUE.equals(row.get("withinBound"))) {
        best = Math.max(best, n);
      } else {
        if (firstBreak == null) {
          firstBreak = n + " cameras: " + row.get("saturated");
        }
        if (!keepGoing) {
          break;
        }
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("largestWithinBound", best);
    summary.put("firstBreak", firstBreak);
    out.println(JSON.writeValueAsString(summary));
    return best;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> nullForNaN(Map<String, Object> row) {
    Map<String, Object> m = new LinkedHashMap<>();
    row.forEach(
        (k, v) -> {
          if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            m.put(k, null);
          } else if (v instanceof Map<?, ?> inner) {
            m.put(k, nullForNaN((Map<String, Object>) inner));
          } else {
            m.put(k, v);
          }
        });
    return m;
  }
}
