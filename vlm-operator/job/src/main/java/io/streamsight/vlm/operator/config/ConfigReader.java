package io.streamsight.vlm.operator.config;

import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.SheddingClock;
import io.streamsight.vlm.operator.config.OperatorConfig.SummaryConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WatermarkConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WindowConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place operator config keys are declared: name, type, default and meaning. Nested YAML
 * mappings are addressed with dotted keys ({@code window.size}). Unknown keys are errors, so a typo
 * never silently falls back to a default.
 */
final class ConfigReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private final Map<String, Object> flat = new LinkedHashMap<>();
  private final Set<String> used = new HashSet<>();

  private ConfigReader(Map<String, Object> root) {
    flatten("", root);
  }

  static OperatorConfig parse(Map<String, Object> root) {
    ConfigReader r = new ConfigReader(root);
    Duration size = r.duration("window.size", "10s", "window length (event time)");
    Duration slide = r.durationOrNull("window.slide", "slide of sliding windows; unset = tumbling");
    if (slide != null && (slide.compareTo(size) > 0)) {
      throw new ConfigException("window.slide", "must not exceed window.size (" + size + ")");
    }
    WindowConfig window =
        new WindowConfig(size, slide, r.positiveInt("window.maxFrames", 8, "K frames per window"));
    WatermarkConfig wm =
        new WatermarkConfig(
            r.duration("watermarks.outOfOrderness", "2s", "bounded out-of-orderness"),
            r.duration("watermarks.idleness", "5s", "a quiet partition stops holding time back"));
    SummaryConfig summary =
        new SummaryConfig(
            r.string(
                "summary.instruction",
                "Describe what happens in these frames in one sentence.",
                "describe instruction"),
            r.stringMap("summary.cameras", "per-camera instruction overrides"),
            r.positiveInt("summary.maxNewTokens", 48, "summary length cap"));
    int askTokens = r.positiveInt("ask.maxNewTokens", 48, "answer length cap");
    int tiles = r.nonNegativeInt("images.maxTilesPerImage", 0, "0 = global image only");
    InferenceConfig inf =
        new InferenceConfig(
            r.positiveInt("inference.maxBatch", 8, "requests per model run"),
            r.duration("inference.maxWait", "20ms", "batch fill wait"),
            r.positiveInt("inference.queueCapacity", 256, "pending requests per TaskManager"),
            r.positiveInt("inference.asyncCapacity", 32, "in-flight tasks per subtask"),
            r.duration("inference.timeout", "120s", "per task, including retries"),
            r.nonNegativeInt("inference.retries", 2, "retries of retriable failures"),
            r.duration("inference.retryDelay", "500ms", "delay between retries"),
            r.duration("inference.sheddingBudget", "30s", "max lag before shedding"),
            r.sheddingClock("inference.sheddingClock", "frontier"));
    Duration cp = r.duration("checkpoint.interval", "10s", "checkpoint (and commit) interval");
    r.rejectUnknown();
    return new OperatorConfig(window, wm, summary, askTokens, tiles, inf, cp);
  }

  private void flatten(String prefix, Map<?, ?> m) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = prefix + e.getKey();
      // summary.cameras is a map value of its own, not more keys.
      if (e.getValue() instanceof Map<?, ?> child && !key.equals("summary.cameras")) {
        flatten(key + ".", child);
      } else {
        flat.put(key, e.getValue());
      }
    }
  }

  private Object raw(String key) {
    used.add(key);
    return flat.get(key);
  }

  private Duration duration(String key, String def, String doc) {
    Duration d = durationOrNull(key, doc);
    return d != null ? d : parseDuration(key, def);
  }

  private Duration durationOrNull(String key, String doc) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    Duration d = parseDuration(key, String.valueOf(v));
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(key, "must be positive, got " + v);
    }
    return d;
  }

  static Duration parseDuration(String key, String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(
          key, "expected a duration like 500ms, 10s, 5m, 1h; got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private int positiveInt(String key, int def, String doc) {
    int v = integer(key, def);
    if (v < 1) {
      throw new ConfigException(key, "must be >= 1, got " + v);
    }
    return v;
  }

  private int nonNegativeInt(String key, int def, String doc) {
    int v = integer(key, def);
    if (v < 0) {
      throw new ConfigException(key, "must be >= 0, got " + v);
    }
    return v;
  }

  private int integer(String key, int def) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Integer i) {
      return i;
    }
    throw new ConfigException(key, "expected an integer, got '" + v + "'");
  }

  private String string(String key, String def, String doc) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new ConfigException(key, "expected non-empty text, got '" + v + "'");
    }
    return s;
  }

  private Map<String, String> stringMap(String key, String doc) {
    Object v = raw(key);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new ConfigException(key, "expected a mapping of camera id to instruction");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getValue() instanceof String s) || s.isBlank()) {
        throw new ConfigException(key + "." + e.getKey(), "expected non-empty text");
      }
      out.put(String.valueOf(e.getKey()), s);
    }
    return out;
  }

  private SheddingClock sheddingClock(String key, String def) {
    Object v = raw(key);
    String s = v == null ? def : String.valueOf(v);
    try {
      return SheddingClock.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "expected frontier or wall, got '" + s + "'");
    }
  }

  private void rejectUnknown() {
    Set<String> unknown = new TreeSet<>(flat.keySet());
    unknown.removeAll(used);
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          unknown.iterator().next(), "unknown key (all unknown: " + unknown + ")");
    }
  }
}
