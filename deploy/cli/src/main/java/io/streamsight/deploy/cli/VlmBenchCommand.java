package io.streamsight.deploy.cli;

import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.engine.EngineBenchmark;
import io.streamsight.vlm.fixture.ModelDims;
import io.streamsight.vlm.fixture.RandomIdefics3Model;
import io.streamsight.vlm.runtime.RuntimeConfig;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamsight vlm bench}: the engine benchmark (see {@link EngineBenchmark}). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark the engine on a model directory (default: writes a random-weight model with"
            + " SmolVLM-256M's sizes): memory per model, time outside OrtSession.run for describe"
            + " and score on a 720p frame, score throughput batch 8 vs batch 1.")
public final class VlmBenchCommand implements Callable<Integer> {
  @Option(names = "--model", description = "Model directory (real or generated).")
  Path model;

  @Option(
      names = "--random-dir",
      defaultValue = "target/bench-models/smolvlm-256m-random",
      description = "Where to write the random model when --model is not given.")
  Path randomDir;

  @Option(names = "--image", description = "Frame to use (default: a synthetic 1280x720 JPEG).")
  Path image;

  @Option(names = "--new-tokens", defaultValue = "64")
  int newTokens;

  @Option(names = "--max-tiles", description = "Tiles per frame (default published; 0 = global).")
  Integer maxTiles;

  @Option(names = "--iterations", defaultValue = "2")
  int iterations;

  @Mixin CpuRuntimeOptions runtime;

  @Option(names = "--save-frame", description = "Also write the frame used here (for the peer).")
  Path saveFrame;

  @Override
  public Integer call() throws Exception {
    Path dir = model;
    if (dir == null) {
      dir = randomDir;
      if (!Files.exists(dir.resolve("onnx/decoder_model_merged.onnx"))) {
        System.out.println("writing random SmolVLM-256M-sized model to " + dir);
        RandomIdefics3Model.write(dir, ModelDims.SMOLVLM_256M, 42);
      }
    }
    byte[] frame = image != null ? Files.readAllBytes(image) : syntheticFrame();
    if (saveFrame != null) {
      Files.write(saveFrame, frame);
    }
    ImageBudget budget = maxTiles == null ? ImageBudget.PUBLISHED : new ImageBudget(maxTiles);
    System.out.printf(
        Locale.ROOT,
        "vlm bench %s: model %s, %d new tokens, budget %s, %d iterations, %d cores%n",
        Instant.now(),
        dir,
        newTokens,
        maxTiles == null ? "published" : maxTiles + " tiles",
        iterations,
        Runtime.getRuntime().availableProcessors());
    EngineBenchmark.Report r =
        EngineBenchmark.run(
            new EngineBenchmark.Settings(
                dir, frame, newTokens, budget, iterations, runtime.applyTo(RuntimeConfig.CPU)),
            System.out::println);
    System.out.printf(
        Locale.ROOT,
        "%nresult: memory +%.0f MiB RSS; describe %.0f ms (%d tokens, %.1f%% outside run);"
            + " score %.0f ms (%.1f%% outside run); batch8/batch1 score throughput %.2fx;"
            + " %d image tokens per frame%n",
        r.rssMiB(),
        r.describeMillis(),
        r.describeTokens(),
        100 * r.describeOutsideRunShare(),
        r.scoreMillis(),
        100 * r.scoreOutsideRunShare(),
        r.batch8PerSecond() / r.batch1PerSecond(),
        r.imageTokensPerFrame());
    return 0;
  }

  /** A 720p frame with gradients and shapes, so JPEG decoding does real work. */
  static byte[] syntheticFrame() throws Exception {
    BufferedImage img = new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 160), 1280, 720, new Color(200, 180, 90)));
    g.fillRect(0, 0, 1280, 720);
    g.setColor(new Color(200, 30, 30));
    g.fillRect(500, 300, 200, 150);
    g.setColor(Color.WHITE);
    g.fillOval(100, 100, 180, 180);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }
}
