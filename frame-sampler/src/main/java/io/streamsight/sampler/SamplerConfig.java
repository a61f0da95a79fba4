package io.streamsight.sampler;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Sampler configuration, parsed once at start. YAML keys (all optional):
 *
 * <pre>
 * applicationId: streamsight-frame-sampler   # Kafka Streams application id (state + group)
 * noveltyThreshold: 0.25                     # 0..1, see NoveltyScorer
 * minGap: 1s                                 # never two keyframes closer than this
 * maxGap: 30s                                # at least one keyframe this often
 * cameras:                                   # per-camera overrides of the three above, plus
 *   cam-7:
 *     noveltyThreshold: 0.4
 *     ignore: ["xxxxxxxx", "........", ...]  # 8 rows of 8 cells: x = ignore that cell
 * </pre>
 *
 * A bad value fails at start with a message naming the key.
 */
public record SamplerConfig(
    String applicationId, CameraSettings defaults, Map<String, CameraSettings> cameras) {

  public static final String DEFAULT_APPLICATION_ID = "streamsight-frame-sampler";
  private static final Set<String> TOP_KEYS =
      Set.of("applicationId", "noveltyThreshold", "minGap", "maxGap", "cameras");
  private static final Set<String> CAMERA_KEYS =
      Set.of("noveltyThreshold", "minGap", "maxGap", "ignore");

  public SamplerConfig {
    cameras = Map.copyOf(cameras);
  }

  public static SamplerConfig standard() {
    return new SamplerConfig(DEFAULT_APPLICATION_ID, CameraSettings.DEFAULTS, Map.of());
  }

  public CameraSettings forCamera(String cameraId) {
    return cameras.getOrDefault(cameraId, defaults);
  }

  public SamplerConfig withApplicationId(String id) {
    return new SamplerConfig(id, defaults, cameras);
  }

  public static SamplerConfig load(Path file) {
    try (Reader r = Files.newBufferedReader(file)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      return parse(root == null ? Map.of() : asMap(root, "(top level)"));
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read sampler config " + file + ": " + e, e);
    }
  }

  static SamplerConfig parse(Map<String, Object> m) {
    checkKeys(m, TOP_KEYS, "");
    String appId = (String) m.getOrDefault("applicationId", DEFAULT_APPLICATION_ID);
    CameraSettings defaults = settings(m, CameraSettings.DEFAULTS, "");
    Map<String, CameraSettings> cams = new LinkedHashMap<>();
    if (m.get("cameras") != null) {
      for (Map.Entry<String, Object> e : asMap(m.get("cameras"), "cameras").entrySet()) {
        String prefix = "cameras." + e.getKey() + ".";
        Map<String, Object> cm = asMap(e.getValue(), "cameras." + e.getKey());
        checkKeys(cm, CAMERA_KEYS, prefix);
        cams.put(e.getKey(), settings(cm, defaults, prefix));
      }
    }
    return new SamplerConfig(appId, defaults, cams);
  }

  private static CameraSettings settings(Map<String, Object> m, CameraSettings base, String p) {
    try {
      return new CameraSettings(
          m.containsKey("noveltyThreshold")
              ? number(m.get("noveltyThreshold"), p + "noveltyThreshold")
              : base.noveltyThreshold(),
          m.containsKey("minGap") ? duration(m.get("minGap"), p + "minGap") : base.minGap(),
          m.containsKey("maxGap") ? duration(m.get("maxGap"), p + "maxGap") : base.maxGap(),
          m.containsKey("ignore")
              ? RoiMask.parse(m.get("ignore"), p + "ignore")
              : base.ignoredCells());
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("sampler config")) {
        throw e;
      }
      throw new IllegalArgumentException(
          "sampler config " + (p.isEmpty() ? "(top level)" : p) + ": " + e.getMessage(), e);
    }
  }

  private static void checkKeys(Map<String, Object> m, Set<String> allowed, String prefix) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(
            "sampler config: unknown key '" + prefix + k + "' (allowed: " + allowed + ")");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o, String key) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("sampler config: '" + key + "' must be a mapping");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<Object, Object>) o).forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static double number(Object o, String key) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("sampler config: '" + key + "' must be a number, got " + o);
  }

  static Duration duration(Object o, String key) {
    String s = String.valueOf(o).trim();
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      char unit = s.charAt(s.length() - 1);
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "sampler config: '"
              + key
              + "' must be a duration like 500ms, 1s, 30s, 5m; got '"
              + s
              + "'");
    }
  }

  /** The 8x8 ignore grid. */
  static final class RoiMask {
    private RoiMask() {}

    static long parse(Object o, String key) {
      if (!(o instanceof List<?> rows) || rows.size() != 8) {
        throw new IllegalArgumentException(
            "sampler config: '" + key + "' must be a list of 8 rows of 8 characters (x = ignore)");
      }
      long mask = 0;
      for (int r = 0; r < 8; r++) {
        String row = String.valueOf(rows.get(r));
        if (row.length() != 8 || !row.matches("[x.]{8}")) {
          throw new IllegalArgumentException(
              "sampler config: '"
                  + key
                  + "' row "
                  + (r + 1)
                  + " must be 8 of 'x' or '.', got '"
                  + row
                  + "'");
        }
        for (int c = 0; c < 8; c++) {
          if (row.charAt(c) == 'x') {
            mask |= 1L << (r * 8 + c);
          }
        }
      }
      return mask;
    }
  }
}
