package io.streamsight.ingest.source;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A camera source, classified once from its URI: what FFmpeg is given, whether it is live
 * (reconnect, drop on back-pressure, wall-clock capture time) or a file (wait on back-pressure,
 * stop at EOF).
 *
 * <ul>
 *   <li>a plain path or {@code file:} URI: any container FFmpeg reads;
 *   <li>{@code rtsp://}, {@code rtsps://}: RTSP over TCP by default, option {@code transport: udp};
 *   <li>{@code http://}, {@code https://}: MJPEG (multipart) or HLS playlists;
 *   <li>{@code v4l2:///dev/video0} or {@code /dev/videoN}: a V4L2 device.
 * </ul>
 *
 * @param input what FFmpeg opens (path, URL or device)
 * @param format forced demuxer name, or null to probe
 * @param options demuxer/protocol options passed to FFmpeg
 */
public record SourceSpec(Kind kind, String input, String format, Map<String, String> options) {

  /** Source families; they differ in options and in live/file behaviour. */
  public enum Kind {
    FILE,
    RTSP,
    HTTP,
    V4L2;

    public boolean live() {
      return this != FILE;
    }
  }

  public SourceSpec {
    options = Map.copyOf(options);
  }

  public boolean live() {
    return kind.live();
  }

  /**
   * Parses a source URI. {@code extra} are user options (e.g. {@code transport}); FFmpeg option
   * names pass through unchanged.
   *
   * @throws IllegalArgumentException for an empty or unsupported URI, naming it
   */
  public static SourceSpec parse(String uri, Map<String, String> extra) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("source URI is empty");
    }
    String u = uri.trim();
    String lower = u.toLowerCase(Locale.ROOT);
    Map<String, String> opts = new LinkedHashMap<>();
    Map<String, String> user = new LinkedHashMap<>(extra);
    if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
      String transport = user.remove("transport");
      transport = transport == null ? "tcp" : transport.toLowerCase(Locale.ROOT);
      if (!transport.equals("tcp") && !transport.equals("udp")) {
        throw new IllegalArgumentException(
            "option 'transport' must be tcp or udp, got '" + transport + "'");
      }
      opts.put("rtsp_transport", transport);
      // Socket I/O timeout in microseconds: a dead server is noticed instead of blocking forever.
      opts.put("timeout", "5000000");
      opts.putAll(user);
      return new SourceSpec(Kind.RTSP, u, null, opts);
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      opts.put("rw_timeout", "5000000");
      opts.putAll(user);
      return new SourceSpec(Kind.HTTP, u, null, opts);
    }
    if (lower.startsWith("v4l2://") || lower.startsWith("/dev/video")) {
      String device = lower.startsWith("v4l2://") ? u.substring("v4l2://".length()) : u;
      opts.putAll(user);
      return new SourceSpec(Kind.V4L2, device, "video4linux2", opts);
    }
    if (lower.startsWith("file:")) {
      opts.putAll(user);
      try {
        return new SourceSpec(Kind.FILE, Path.of(URI.create(u)).toString(), null, opts);
      } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
        // URI's own message quotes the whole input, credentials included.
        throw new IllegalArgumentException("not a usable file: URI '" + redacted(u) + "'");
      }
    }
    if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          "unsupported source scheme in '"
              + redacted(u)
              + "', expected a path, file:, rtsp://, rtsps://, http(s):// or v4l2://");
    }
    opts.putAll(user);
    return new SourceSpec(Kind.FILE, u, null, opts);
  }

  public static SourceSpec parse(String uri) {
    return parse(uri, Map.of());
  }

  /** The input with any {@code user:password@} removed, for logs and status records. */
  public String redactedInput() {
    return redactor().redact(input);
  }

  /** Masks this source's credentials in any text (error messages quote the full URL). */
  public Redactor redactor() {
    return Redactor.forUri(input);
  }

  static String redacted(String s) {
    return Redactor.forUri(s).redact(s);
  }

  /** Redacted: a {@code CameraConfig} or this spec printed anywhere shows no credentials. */
  @Override
  public String toString() {
    return "SourceSpec[kind="
        + kind
        + ", input="
        + redactedInput()
        + ", format="
        + format
        + ", options="
        + options.keySet()
        + "]";
  }
}
