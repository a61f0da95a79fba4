package io.streamsight.vlm.engine;

import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The engine benchmark, runnable unchanged on any model directory (a random-weight model with
 * SmolVLM-256M's sizes, or a downloaded one): memory held by a loaded model, the share of time
 * spent outside {@code OrtSession.run} for describe and score on one frame, and score throughput at
 * batch 8 vs batch 1, all measured in the same run.
 */
public final class EngineBenchmark {
  /**
   * @param iterations timed repetitions after one warm-up
   */
  public record Settings(
      Path model,
      byte[] frame,
      int newTokens,
      ImageBudget budget,
      int iterations,
      RuntimeConfig runtime) {}

  /** Figures of one run. */
  public record Report(
      double rssMiB,
      double heapMiB,
      double describeMillis,
      double describeOutsideRunShare,
      int describeTokens,
      double scoreMillis,
      double scoreOutsideRunShare,
      double batch1PerSecond,
      double batch8PerSecond,
      int imageTokensPerFrame) {}

  private EngineBenchmark() {}

  public static Report run(Settings s, Consumer<String> log) {
    System.gc();
    long rss0 = rssBytes();
    long heap0 = usedHeap();
    EngineConfig config = EngineConfig.CPU.withRuntime(s.runtime());
    try (VlmEngine engine = VlmEngine.load(s.model(), config)) {
      System.gc();
      double rss = (rssBytes() - rss0) / 1048576.0;
      double heap = (usedHeap() - heap0) / 1048576.0;
      log.accept(String.format(Locale.ROOT, "loaded: +%.0f MiB RSS, +%.0f MiB heap", rss, heap));
      List<byte[]> images = List.of(s.frame());
      VlmRequest describe =
          new VlmRequest(
              Task.DESCRIBE,
              images,
              "Describe the image.",
              GenerationOptions.greedy(s.newTokens(), s.budget()));
      VlmRequest score =
          new VlmRequest(
              Task.SCORE,
              images,
              "Is there a person in the scene?",
              GenerationOptions.greedy(1, s.budget()));
      double[] d = measure(engine, describe, s.iterations(), "describe", log);
      double[] sc = measure(engine, score, s.iterations(), "score", log);
      // Throughput: 8 score requests one run each vs one batched run of 8. Each request gets its
      // own copy of the frame: the engine encodes an image shared by several requests of a run
      // only once, which would flatter the batch figure (8 frames is the fair case).
      List<VlmRequest> eight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        List<byte[]> own = List.of(s.frame().clone());
        eight.add(new VlmRequest(Task.SCORE, own, score.text(), score.options()));
      }
      long t = System.nanoTime();
      for (VlmRequest r : eight) {
        check(engine.run(List.of(r)).get(0));
      }
      double b1 = 8 / ((System.nanoTime() - t) / 1e9);
      t = System.nanoTime();
      engine.run(eight).forEach(EngineBenchmark::check);
      double b8 = 8 / ((System.nanoTime() - t) / 1e9);
      log.accept(
          String.format(Locale.ROOT, "score throughput: batch 1 %.2f/s, batch 8 %.2f/s", b1, b8));
      // For information, not the target: 8 rules scored on one frame (the operator's case of a
      // window and its rules), where the shared image is decoded and encoded once per run.
      List<VlmRequest> rules = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        rules.add(
            new VlmRequest(Task.SCORE, images, "Is there a vehicle " + i + "?", score.options()));
      }
      t = System.nanoTime();
      engine.run(rules).forEach(EngineBenchmark::check);
      double shared = 8 / ((System.nanoTime() - t) / 1e9);
      log.accept(
          String.format(
              Locale.ROOT,
              "8 questions about one frame in one run: %.2f/s (%.2fx batch 1)",
              shared,
              shared / b1));
      return new Report(rss, heap, d[0], d[1], (int) d[2], sc[0], sc[1], b1, b8, (int) d[3]);
    }
  }

  /** {mean total ms, outside-run share, generated tokens, image tokens per frame}. */
  private static double[] measure(
      VlmEngine engine, VlmRequest req, int iterations, String name, Consumer<String> log) {
    check(engine.run(List.of(req)).get(0)); // warm-up
    double total = 0;
    double session = 0;
    VlmResult last = null;
    // Process CPU time (all threads, ONNX Runtime's included): on a shared machine it is a
    // steadier figure than wall time for comparing with the peer.
    long cpu0 = processCpuNanos();
    for (int i = 0; i < iterations; i++) {
      last = check(engine.run(List.of(req)).get(0));
      total += last.timings().totalMillis();
      session += last.timings().sessionRunMillis();
    }
    double cpuMs = (processCpuNanos() - cpu0) / 1e6 / iterations;
    double share = 1 - session / total;
    log.accept(
        String.format(
            Locale.ROOT,
            "%s: %.1f ms per request (%.1f ms process CPU) (%d new tokens), %.1f%% outside"
                + " OrtSession.run; last: %s",
            name,
            total / iterations,
            cpuMs,
            last.generatedTokens(),
            100 * share,
            last.timings()));
    return new double[] {
      total / iterations, share, last.generatedTokens(), last.timings().imageTokensPerFrame()
    };
  }

  private static VlmResult check(VlmResult r) {
    if (r.error() != null) {
      throw new IllegalStateException("benchmark request failed: " + r.error());
    }
    return r;
  }

  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Resident set size from /proc (Linux); 0 elsewhere. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
