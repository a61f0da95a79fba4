package io.streamsight.deploy.cli;

import io.streamsight.vlm.hub.ModelPuller;
import io.streamsight.vlm.hub.ProgressBar;
import io.streamsight.vlm.hub.PullConfig;
import io.streamsight.vlm.model.ModelVariant;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamsight model pull REPO}: one ONNX variant of a SmolVLM repo from the hub. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Download the files one ONNX variant of a SmolVLM/Idefics3 model needs from the Hugging"
          + " Face hub: config and tokenizer files plus onnx/vision_encoder, embed_tokens and"
          + " decoder_model_merged of that variant. Resumes interrupted downloads, verifies size"
          + " and checksum (sha256, or the git blob id of small files), skips files already"
          + " present. https only unless --allow-http.",
      "Environment: HF_TOKEN (bearer token for gated/private repos), HF_ENDPOINT (hub or mirror)."
    })
public final class ModelPullCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = PullConfig.DEFAULT_REPO,
      description = "Hub repository (default: ${DEFAULT-VALUE}).")
  String repo;

  @Option(
      names = "--revision",
      defaultValue = "main",
      description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
  String revision;

  @Option(
      names = "--variant",
      defaultValue = "fp32",
      converter = VariantConverter.class,
      description =
          "Weights: fp32 (no suffix), fp16, q4, q4f16, int8, uint8, quantized"
              + " (default: ${DEFAULT-VALUE}).")
  ModelVariant variant;

  @Option(
      names = "--dir",
      description = "Destination (default: ~/.streamsight/models/<owner>--<name>[@<revision>]).")
  Path dir;

  @Option(
      names = "--endpoint",
      description = "Hub base URL (default: $HF_ENDPOINT, else https://huggingface.co).")
  String endpoint;

  @Option(
      names = "--allow-http",
      description =
          "Permit a plain-http endpoint or redirect (a mirror on a trusted network); https only"
              + " otherwise.")
  boolean allowHttp;

  @Option(
      names = "--max-file-bytes",
      paramLabel = "N",
      defaultValue = "" + PullConfig.DEFAULT_MAX_FILE_BYTES,
      description =
          "Most bytes one file may take when neither the hub's listing nor the response states"
              + " its size (default: ${DEFAULT-VALUE}, 64 GiB); a stated size is enforced"
              + " exactly.")
  long maxFileBytes;

  @Override
  public Integer call() {
    PullConfig config;
    try {
      config =
          PullConfig.resolve(repo, revision, variant, dir, endpoint, System.getenv(), allowHttp)
              .withMaxFileBytes(maxFileBytes);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    System.err.println(
        "pulling "
            + config.repo()
            + "@"
            + config.revision()
            + " ("
            + variant.cliName()
            + ") from "
            + config.endpoint()
            + " into "
            + config.dir());
    ModelPuller.Result r = new ModelPuller(config, new ProgressBar(System.err)).pull();
    System.out.printf(
        "model ready: %s (%d files: %d fetched, %s; %d already present)%n",
        r.dir(),
        r.fetched().size() + r.present().size(),
        r.fetched().size(),
        humanBytes(r.bytesFetched()),
        r.present().size());
    if (!r.unverified().isEmpty()) {
      System.out.printf(
          "not verified by checksum (the endpoint lists none; size checked only): %s%n",
          String.join(", ", r.unverified()));
    }
    System.out.println("use it with: --model " + r.dir() + variantHint());
    return 0;
  }

  private String variantHint() {
    return variant == ModelVariant.FP32 ? "" : " --variant " + variant.cliName();
  }

  private static String humanBytes(long n) {
    return n < 1024 * 1024 ? n + " bytes" : String.format("%.1f MiB", n / (1024.0 * 1024));
  }

  /** Makes a bad {@code --variant} a usage error (exit 2) that lists the valid names. */
  static final class VariantConverter implements CommandLine.ITypeConverter<ModelVariant> {
    @Override
    public ModelVariant convert(String value) {
      try {
        return ModelVariant.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
