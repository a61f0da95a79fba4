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

  /** Parses {@code fp32}, {@code q4}, ...; an unknown name is an error naming the valid ones. */
  public static ModelVariant parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    for (ModelVariant v : values()) {
      if (v.name().equals(n)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown model variant '"
            + name
            + "', expected one of "
            + Arrays.stream(values())
                .map(v -> v.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
