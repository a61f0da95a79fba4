package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.AlertRule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** A validated alert rule (from {@link AlertRule}). */
public record Rule(
    String id,
    String cameraGlob,
    String question,
    double threshold,
    long cooldownMicros,
    String severity,
    boolean enabled) {

  // Globs are few and checked once per window per rule: caching the compiled pattern keeps that
  // check cheap without putting a non-serialisable field in the record.
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  /**
   * Checks an {@link AlertRule} and converts it.
   *
   * @throws IllegalArgumentException naming the bad field
   */
  public static Rule from(String key, AlertRule r) {
    if (r.getId() == null || r.getId().isBlank()) {
      throw new IllegalArgumentException("rule id is empty");
    }
    if (key != null && !key.equals(r.getId())) {
      throw new IllegalArgumentException(
          "record key '" + key + "' differs from rule id '" + r.getId() + "'");
    }
    if (r.getCameraGlob() == null || r.getCameraGlob().isBlank()) {
      throw new IllegalArgumentException("rule " + r.getId() + ": cameraGlob is empty");
    }
    if (r.getQuestion() == null || r.getQuestion().isBlank()) {
      throw new IllegalArgumentException("rule " + r.getId() + ": question is empty");
    }
    if (!(r.getThreshold() >= 0 && r.getThreshold() <= 1)) {
      throw new IllegalArgumentException(
          "rule " + r.getId() + ": threshold " + r.getThreshold() + " is not in [0, 1]");
    }
    if (r.getCooldownMicros() < 0) {
      throw new IllegalArgumentException("rule " + r.getId() + ": cooldownMicros is negative");
    }
    return new Rule(
        r.getId(),
        r.getCameraGlob(),
        r.getQuestion(),
        r.getThreshold(),
        r.getCooldownMicros(),
        r.getSeverity().name(),
        r.getEnabled());
  }

  /** Glob over camera ids: {@code *} any run of characters, {@code ?} one character. */
  public boolean matches(String cameraId) {
    return PATTERNS.computeIfAbsent(cameraGlob, Rule::compile).matcher(cameraId).matches();
  }

  private static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
