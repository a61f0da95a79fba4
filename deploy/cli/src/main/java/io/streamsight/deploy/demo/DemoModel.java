package io.streamsight.deploy.demo;

import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.hub.PullConfig;
import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.model.ModelVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which model the demo and {@code summarize} run: {@code --model DIR}; else a model pulled earlier
 * into the default model directory; else the built-in colour fixture (tiny, CPU-fast, names
 * dominant colours), with a banner saying so plainly. The variant is {@code --variant} when given,
 * else one the directory holds ({@link #PREFERENCE}), so a {@code model pull --variant q4} runs
 * without further options.
 *
 * @param picked true when the variant was chosen here rather than given
 */
public record DemoModel(Path dir, ModelVariant variant, boolean picked, boolean fixture) {
  static final String DEFAULT_REPO = PullConfig.DEFAULT_REPO;

  /**
   * Which variant to run when several are present: the reference fp32 first, then the variants with
   * fp32 activations, and those with fp16 activations last, because ONNX Runtime's CPU kernels (the
   * demo's usual provider) mostly lack fp16 and insert casts around them.
   */
  static final List<ModelVariant> PREFERENCE =
      List.of(
          ModelVariant.FP32,
          ModelVariant.Q4,
          ModelVariant.INT8,
          ModelVariant.UINT8,
          ModelVariant.QUANTIZED,
          ModelVariant.Q4F16,
          ModelVariant.FP16);

  static Path home() {
    return Path.of(System.getProperty("user.home"), ".streamsight");
  }

  /**
   * @param requested {@code --variant}, or null to pick one the directory holds
   * @throws io.streamsight.vlm.model.ModelLoadException when the directory lacks the variant's
   *     files (the message names them and the {@code model pull} command that fetches them)
   */
  public static DemoModel resolve(Path explicit, ModelVariant requested) {
    DemoModel m = locate(explicit, requested);
    VlmEngine.check(m.dir(), m.variant());
    return m;
  }

  private static DemoModel locate(Path explicit, ModelVariant requested) {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit.resolve("config.json"))) {
        throw new IllegalArgumentException("--model: no model (config.json) in " + explicit);
      }
      return withVariant(explicit, requested, false);
    }
    // Exactly where `streamsight model pull` puts the default model.
    Path pulled =
        PullConfig.defaultDir(Path.of(System.getProperty("user.home")), DEFAULT_REPO, "main");
    if (Files.isRegularFile(pulled.resolve("config.json"))) {
      return withVariant(pulled, requested, false);
    }
    Path fixture = home().resolve("models").resolve("streamsight-colour-fixture");
    if (!Files.isRegularFile(fixture.resolve("config.json"))) {
      VlmFixtureModel.write(fixture);
    }
    return withVariant(fixture, requested, true);
  }

  private static DemoModel withVariant(Path dir, ModelVariant requested, boolean fixture) {
    if (requested != null) {
      return new DemoModel(dir, requested, false, fixture);
    }
    return new DemoModel(dir, pick(ModelDirectory.variantsIn(dir)), true, fixture);
  }

  /** The preferred variant among those present; fp32 when none is complete (the check says so). */
  static ModelVariant pick(List<ModelVariant> present) {
    return PREFERENCE.stream().filter(present::contains).findFirst().orElse(ModelVariant.FP32);
  }

  public String banner() {
    if (!fixture) {
      return "Model: "
          + dir
          + ", variant "
          + variant.cliName()
          + (picked ? " (found in the directory; choose another with --variant)" : "");
    }
    String line = "=".repeat(78);
    return line
        + "\n  No VLM weights found: running the built-in FIXTURE model ("
        + dir
        + ").\n"
        + "  It only names the dominant colour of each frame; it is for trying the pipeline.\n"
        + "  For real descriptions pull SmolVLM once (about 1 GB), then rerun the demo:\n"
        + "      ./streamsight model pull "
        + DEFAULT_REPO
        + "\n"
        + line;
  }
}
