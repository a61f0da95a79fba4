package io.streamsight.deploy.cli;

import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.operator.inference.EngineOptions;
import io.streamsight.vlm.runtime.ExecutionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the operator job loads the model: {@code --variant}, {@code --provider} and {@code
 * --[no-]tensorrt-fp16}, shared by {@code operator}, {@code demo} and {@code cluster up} so the
 * three spell them alike. Bad values are usage errors (exit 2) naming the valid ones.
 */
public final class EngineChoiceOptions {
  @Option(
      names = "--variant",
      converter = ModelPullCommand.VariantConverter.class,
      description =
          "ONNX weights to load: fp32, fp16, q4, q4f16, int8, uint8, quantized (the --variant"
              + " given to 'model pull'; default: fp32, the demo picks one the model has).")
  ModelVariant variant;

  @Option(
      names = "--provider",
      defaultValue = "auto",
      converter = ProviderConverter.class,
      description =
          "ONNX Runtime execution provider: auto (TensorRT, then CUDA, then CPU), tensorrt, cuda"
              + " or cpu (default: ${DEFAULT-VALUE}).")
  ExecutionProvider provider = ExecutionProvider.AUTO;

  @Option(
      names = "--tensorrt-fp16",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true", // without it picocli inverts a true-by-default negatable option
      description = "Let TensorRT run layers in fp16 (default: ${DEFAULT-VALUE}).")
  boolean tensorRtFp16 = true;

  /** The variant given, or null when none was. */
  public ModelVariant variant() {
    return variant;
  }

  /** The options, with {@code fallback} when no {@code --variant} was given. */
  public EngineOptions toEngineOptions(ModelVariant fallback) {
    return new EngineOptions(variant != null ? variant : fallback, provider, tensorRtFp16);
  }

  /** Makes a bad {@code --provider} a usage error (exit 2) that lists the valid names. */
  static final class ProviderConverter implements CommandLine.ITypeConverter<ExecutionProvider> {
    @Override
    public ExecutionProvider convert(String value) {
      try {
        return ExecutionProvider.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
