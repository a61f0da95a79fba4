package io.streamsight.deploy.demo;

import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.hub.PullConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which model the demo runs: {@code --model DIR}; else a model pulled earlier into the default
 * model directory; else the built-in colour fixture (tiny, CPU-fast, names dominant colours), with
 * a banner saying so plainly.
 */
record DemoModel(Path dir, boolean fixture) {
  static final String DEFAULT_REPO = PullConfig.DEFAULT_REPO;

  static Path home() {
    return Path.of(System.getProperty("user.home"), ".streamsight");
  }

  static DemoModel resolve(Path explicit) {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit.resolve("config.json"))) {
        throw new IllegalArgumentException("--model: no model (config.json) in " + explicit);
      }
      return new DemoModel(explicit, false);
    }
    // Exactly where `streamsight model pull` puts the default model.
    Path pulled =
        PullConfig.defaultDir(Path.of(System.getProperty("user.home")), DEFAULT_REPO, "main");
    if (Files.isRegularFile(pulled.resolve("config.json"))) {
      return new DemoModel(pulled, false);
    }
    Path fixture = home().resolve("models").resolve("streamsight-colour-fixture");
    if (!Files.isRegularFile(fixture.resolve("config.json"))) {
      VlmFixtureModel.write(fixture);
    }
    return new DemoModel(fixture, true);
  }

  String banner() {
    if (!fixture) {
      return "Model: " + dir;
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
