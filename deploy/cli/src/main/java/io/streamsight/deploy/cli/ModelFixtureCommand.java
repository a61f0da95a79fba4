package io.streamsight.deploy.cli;

import io.streamsight.vlm.fixture.ModelDims;
import io.streamsight.vlm.fixture.RandomIdefics3Model;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight model fixture --dir DIR}: the tiny colour model for demos and tests. */
@Command(
    name = "fixture",
    mixinStandardHelpOptions = true,
    description = {
      "Write the tiny fixture model (published SmolVLM/Idefics3 ONNX layout, 64-px tiles) whose"
          + " behaviour is known: describe names the dominant colour of each image in order"
          + " (red, green, blue, yellow, white, black); a yes/no question naming a colour answers"
          + " Yes when that colour covers most of the images."
    })
public final class ModelFixtureCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "Directory to write (created).")
  Path dir;

  @Option(
      names = "--dims",
      description =
          "Instead of the colour fixture, write random weights with these sizes: smolvlm-256m"
              + " (30 text layers, hidden 576, 9/3 heads; vision 12 layers, hidden 768, 512-px"
              + " tiles, 64 tokens per tile) or tiny. For benchmarks; its outputs are noise.")
  String dims;

  @Override
  public Integer call() {
    Path out =
        dims == null
            ? VlmFixtureModel.write(dir)
            : RandomIdefics3Model.write(dir, ModelDims.parse(dims), 42);
    System.out.println("fixture model written to " + out.toAbsolutePath());
    return 0;
  }
}
