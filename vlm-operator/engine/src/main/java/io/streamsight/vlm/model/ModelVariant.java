package io.streamsight.vlm.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which published ONNX weight variant to load: the suffix of {@code onnx/<part><suffix>.onnx}. */
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

  public String suffix() {
    return suffix;
  }

  public String fileName(String part) {
    return "onnx/" + part + suffix + ".onnx";
  }

  /** The CLI spelling: fp32, fp16, q4, q4f16, int8, uint8, quantized. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a CLI spelling (case-insensitive); an unknown name is an error naming the valid ones.
   */
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
