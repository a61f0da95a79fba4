package io.streamsight.vlm.hub;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The weight variants of the published SmolVLM/Idefics3 ONNX exports. Each variant is the same
 * three graphs with a file-name suffix: {@code onnx/vision_encoder{suffix}.onnx} and so on.
 */
public enum ModelVariant {
  FP32(""),
  FP16("_fp16"),
  Q4("_q4"),
  Q4F16("_q4f16"),
  INT8("_int8"),
  UINT8("_uint8"),
  QUANTIZED("_quantized");

  private final String suffix;

  ModelVariant(String suffix) {
    this.suffix = suffix;
  }

  /** The file-name suffix, "" for fp32. */
  public String suffix() {
    return suffix;
  }

  /** The CLI spelling: fp32, fp16, q4, q4f16, int8, uint8, quantized. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a CLI spelling (case-insensitive); an unknown name is an error listing the known. */
  public static ModelVariant parse(String name) {
    for (ModelVariant v : values()) {
      if (v.cliName().equalsIgnoreCase(name.trim())) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown model variant '" + name + "'; expected one of " + names());
  }

  /** The known spellings, comma separated. */
  public static String names() {
    return Arrays.stream(values()).map(ModelVariant::cliName).collect(Collectors.joining(", "));
  }
}
