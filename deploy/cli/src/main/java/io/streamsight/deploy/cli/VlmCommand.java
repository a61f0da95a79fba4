package io.streamsight.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.runtime.ExecutionProvider;
import io.streamsight.vlm.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamsight vlm describe|ask|score}: one model call from the command line. */
@Command(
    name = "vlm",
    mixinStandardHelpOptions = true,
    description = "Run the VLM engine on images (several --image form one multi-image prompt).",
    subcommands = {
      VlmCommand.Describe.class,
      VlmCommand.Ask.class,
      VlmCommand.Score.class,
      VlmBenchCommand.class
    })
public final class VlmCommand {

  /** Options shared by the three tasks. */
  static final class Common {
    @Option(names = "--model", required = true, description = "Model directory.")
    Path model;

    @Option(names = "--image", required = true, description = "Image file (JPEG/PNG); repeat.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--question", description = "Instruction or question.")
    String question;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Max new tokens.")
    int maxTokens;

    @Option(
        names = "--max-tiles",
        description = "Local tiles per image (default: published preprocessing; 0 = global only).")
    Integer maxTiles;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy.")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus mass (temperature > 0).")
    double topP;

    @Option(
        names = "--provider",
        defaultValue = "auto",
        converter = EngineChoiceOptions.ProviderConverter.class,
        description = "auto|tensorrt|cuda|cpu.")
    ExecutionProvider provider;

    @Option(
        names = "--variant",
        defaultValue = "fp32",
        converter = ModelPullCommand.VariantConverter.class,
        description = "fp32|fp16|q4|q4f16|int8|...")
    ModelVariant variant;

    @Mixin CpuRuntimeOptions runtime;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    int run(Task task, String defaultQuestion) throws IOException {
      List<byte[]> bytes = new ArrayList<>();
      for (Path p : images) {
        bytes.add(Files.readAllBytes(p));
      }
      ImageBudget budget = maxTiles == null ? ImageBudget.PUBLISHED : new ImageBudget(maxTiles);
      GenerationOptions options =
          new GenerationOptions(task == Task.SCORE ? 1 : maxTokens, temperature, topP, 0, budget);
      EngineConfig config =
          EngineConfig.DEFAULT
              .withVariant(variant)
              .withRuntime(runtime.applyTo(RuntimeConfig.AUTO.withProvider(provider)));
      String text = question != null ? question : defaultQuestion;
      VlmResult r;
      try (VlmEngine engine = VlmEngine.load(model, config)) {
        r = engine.run(List.of(new VlmRequest(task, bytes, text, options))).get(0);
      }
      if (json) {
        System.out.println(toJson(r));
      } else if (r.error() != null) {
        System.err.println("error: " + r.error());
      } else if (task == Task.SCORE) {
        System.out.printf("p(yes) = %.4f%n", r.pYes());
      } else {
        System.out.println(r.text());
      }
      return r.error() == null ? 0 : 1;
    }
  }

  static String toJson(VlmResult r) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("text", r.text());
    var ids = o.putArray("token_ids");
    for (long id : r.tokenIds()) {
      ids.add(id);
    }
    if (Double.isNaN(r.pYes())) {
      o.putNull("p_yes");
    } else {
      o.put("p_yes", r.pYes());
    }
    o.put("finish_reason", r.finishReason().name().toLowerCase(java.util.Locale.ROOT));
    o.put("prompt_tokens", r.promptTokens());
    o.put("generated_tokens", r.generatedTokens());
    if (r.error() != null) {
      o.put("error", r.error());
    }
    o.set("timings", m.valueToTree(r.timings()));
    return o.toString();
  }

  @Command(name = "describe", mixinStandardHelpOptions = true, description = "Describe images.")
  static final class Describe implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws IOException {
      return common.run(Task.DESCRIBE, "Describe the image.");
    }
  }

  @Command(name = "ask", mixinStandardHelpOptions = true, description = "Answer a question.")
  static final class Ask implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws IOException {
      if (common.question == null) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "ask needs --question");
      }
      return common.run(Task.ASK, null);
    }
  }

  @Command(name = "score", mixinStandardHelpOptions = true, description = "p(yes) of a question.")
  static final class Score implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws IOException {
      if (common.question == null) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "score needs --question");
      }
      return common.run(Task.SCORE, null);
    }
  }
}
