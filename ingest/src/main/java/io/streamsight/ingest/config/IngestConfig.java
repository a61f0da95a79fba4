package io.streamsight.ingest.config;

import io.streamsight.ingest.frame.JpegEncoder;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.source.GrabberSource.SkipMode;
import io.streamsight.ingest.source.SourceSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The cameras of one ingest process, parsed once from YAML. Errors name the file, camera and key.
 *
 * <pre>
 * defaults:            # optional, apply to every camera
 *   fps: 5             # frames kept per second (default 5)
 *   max_edge: 1024     # longest JPEG edge in px (default 1024)
 *   jpeg_quality: 85   # 1..100 (default 85)
 *   jpeg_encoder: auto # auto | turbojpeg | ffmpeg (default auto: libjpeg-turbo if installed)
 *   skip: auto         # none | auto | keyframes (default auto)
 *   decode_threads: 1  # FFmpeg decoder threads per camera (default 1)
 *   realtime: false    # pace files at native speed (default false)
 * cameras:
 *   - id: lobby
 *     uri: rtsp://user:pw@10.0.0.5/stream1
 *     options: {transport: udp}   # FFmpeg options, passed through (transport: tcp|udp for RTSP)
 *   - id: door
 *     uri: /data/door.mp4
 *     fps: 2
 * </pre>
 */
public record IngestConfig(List<CameraConfig> cameras) {
  private static final Set<String> CAMERA_KEYS =
      Set.of(
          "id",
          "uri",
          "fps",
          "max_edge",
          "jpeg_quality",
          "jpeg_encoder",
          "skip",
          "decode_threads",
          "realtime",
          "options");
  private static final Set<String> DEFAULT_KEYS =
      Set.of(
          "fps", "max_edge", "jpeg_quality", "jpeg_encoder", "skip", "decode_threads", "realtime");

  public IngestConfig {
    cameras = List.copyOf(cameras);
    if (cameras.isEmpty()) {
      throw new IllegalArgumentException("no cameras configured");
    }
    Set<String> ids = new HashSet<>();
    for (CameraConfig c : cameras) {
      if (!ids.add(c.id())) {
        throw new IllegalArgumentException("camera id '" + c.id() + "' appears twice");
      }
    }
  }

  public static IngestConfig load(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return parse(new Yaml(new SafeConstructor(new LoaderOptions())).load(r), file.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new IllegalArgumentException(file + ": invalid YAML: " + e.getMessage(), e);
    }
  }

  static IngestConfig parse(Object root, String where) {
    Map<String, Object> top = map(root, "top level");
    for (String k : top.keySet()) {
      if (!k.equals("defaults") && !k.equals("cameras")) {
        throw new IllegalArgumentException("unknown key '" + k + "', expected defaults, cameras");
      }
    }
    Map<String, Object> defaults =
        top.get("defaults") == null ? Map.of() : map(top.get("defaults"), "defaults");
    checkKeys(defaults, DEFAULT_KEYS, "defaults");
    if (!(top.get("cameras") instanceof List<?> list)) {
      throw new IllegalArgumentException("key 'cameras' must be a list of cameras");
    }
    List<CameraConfig> cams = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Map<String, Object> cam = map(list.get(i), "cameras[" + i + "]");
      String ctx = "cameras[" + i + "]" + (cam.get("id") == null ? "" : " (" + cam.get("id") + ")");
      checkKeys(cam, CAMERA_KEYS, ctx);
      Map<String, Object> m = new LinkedHashMap<>(defaults);
      m.putAll(cam);
      try {
        cams.add(camera(m, ctx));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ctx + ": " + e.getMessage(), e);
      }
    }
    return new IngestConfig(cams);
  }

  private static CameraConfig camera(Map<String, Object> m, String ctx) {
    String id = string(m, "id", null);
    String uri = string(m, "uri", null);
    if (id == null || uri == null) {
      throw new IllegalArgumentException("keys 'id' and 'uri' are required");
    }
    Map<String, String> options = new LinkedHashMap<>();
    if (m.get("options") != null) {
      map(m.get("options"), "options").forEach((k, v) -> options.put(k, String.valueOf(v)));
    }
    PipelineSettings p =
        new PipelineSettings(
            number(m, "fps", PipelineSettings.DEFAULT_FPS),
            (int) number(m, "max_edge", PipelineSettings.DEFAULT_MAX_EDGE),
            (int) number(m, "jpeg_quality", PipelineSettings.DEFAULT_JPEG_QUALITY),
            JpegEncoder.Choice.parse(string(m, "jpeg_encoder", "auto")));
    String skip = string(m, "skip", "auto").toUpperCase(Locale.ROOT);
    SkipMode mode;
    try {
      mode = SkipMode.valueOf(skip);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "key 'skip' must be none, auto or keyframes, got '" + m.get("skip") + "'");
    }
    Object rt = m.getOrDefault("realtime", false);
    if (!(rt instanceof Boolean realtime)) {
      throw new IllegalArgumentException("key 'realtime' must be true or false, got '" + rt + "'");
    }
    return new CameraConfig(
        id,
        SourceSpec.parse(uri, options),
        p,
        realtime,
        mode,
        (int) number(m, "decode_threads", 1));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(what + " must be a mapping");
    }
    return (Map<String, Object>) o;
  }

  private static void checkKeys(Map<String, Object> m, Set<String> allowed, String ctx) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(
            ctx + ": unknown key '" + k + "', expected one of " + allowed);
      }
    }
  }

  private static String string(Map<String, Object> m, String key, String def) {
    Object v = m.get(key);
    return v == null ? def : String.valueOf(v);
  }

  private static double number(Map<String, Object> m, String key, double def) {
    Object v = m.get(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("key '" + key + "' must be a number, got '" + v + "'");
  }
}
