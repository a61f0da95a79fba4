package io.streamsight.ingest.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.streamsight.ingest.frame.JpegEncoder;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.source.GrabberSource.SkipMode;
import io.streamsight.ingest.source.SourceSpec;
import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.config.ScalarText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys of {@code cameras.yaml} as {@link ConfigBinder} binds them; {@link #toConfig()} merges
 * each camera's own settings over {@code defaults}, and {@link PipelineSettings} and {@link
 * CameraConfig} check the values.
 */
public record CamerasFile(
    @ConfigDoc("Settings every camera gets unless it sets its own.") Defaults defaults,
    @ConfigDoc(value = "The cameras this ingest process decodes (at least one).", required = true)
        List<Camera> cameras) {

  /** What every camera gets; each key can be set per camera too. */
  public record Defaults(
      @ConfigDoc(
              value = "Frames kept per second of stream time (sampled by timestamp).",
              defaultValue = "5")
          double fps,
      @ConfigDoc(
              value =
                  "Longest edge of the published JPEG in px (never upscaled); 16..1664, so a worst-case JPEG fits the cameras.frames message limit.",
              defaultValue = "1024")
          int maxEdge,
      @ConfigDoc(value = "JPEG quality, 1..100.", defaultValue = "85") int jpegQuality,
      @ConfigDoc(
              value =
                  "JPEG encoder: `auto` = libjpeg-turbo when installed, else FFmpeg's mjpeg"
                      + " (logged); `turbojpeg` = libjpeg-turbo or fail the camera.",
              defaultValue = "auto")
          JpegEncoder.Choice jpegEncoder,
      @ConfigDoc(
              value =
                  "Decode skipping: `none` decodes everything, `auto` skips non-reference frames"
                      + " between kept ones, `keyframes` decodes keyframes only.",
              defaultValue = "auto")
          SkipMode skip,
      @ConfigDoc(value = "FFmpeg decoder threads per camera, 1..64.", defaultValue = "1")
          int decodeThreads,
      @ConfigDoc(
              value = "Files only: pace at native speed instead of as fast as possible.",
              defaultValue = "false")
          boolean realtime) {
    public Defaults {
      // Checked here, not only per camera, so a bad default is reported at defaults.<key>.
      new PipelineSettings(fps, maxEdge, jpegQuality, jpegEncoder);
      CameraConfig.checkDecodeThreads(decodeThreads);
    }
  }

  /** One camera: where to read it, plus any of the {@code defaults} keys for it alone. */
  public record Camera(
      @ConfigDoc(
              value = "Camera id, also the Kafka key: 1..128 of `[A-Za-z0-9._-]`, unique.",
              required = true)
          String id,
      @ConfigDoc(
              value =
                  "Source: a path or `file:` URI, `rtsp://`, `rtsps://`, `http(s)://` (MJPEG,"
                      + " HLS) or `v4l2:///dev/videoN`. Credentials in it are redacted in logs"
                      + " and status.",
              required = true)
          String uri,
      @ConfigDoc(
              value =
                  "FFmpeg options, passed through; `transport: udp` switches RTSP from TCP to"
                      + " UDP.",
              defaultValue = "{}",
              type = "mapping of name to text or number")
          @JsonDeserialize(contentUsing = ScalarText.class)
          Map<String, String> options,
      @ConfigDoc(value = "This camera's fps.", unset = "`defaults.fps`") Double fps,
      @ConfigDoc(value = "This camera's maxEdge.", unset = "`defaults.maxEdge`") Integer maxEdge,
      @ConfigDoc(value = "This camera's jpegQuality.", unset = "`defaults.jpegQuality`")
          Integer jpegQuality,
      @ConfigDoc(value = "This camera's jpegEncoder.", unset = "`defaults.jpegEncoder`")
          JpegEncoder.Choice jpegEncoder,
      @ConfigDoc(value = "This camera's skip.", unset = "`defaults.skip`") SkipMode skip,
      @ConfigDoc(value = "This camera's decodeThreads.", unset = "`defaults.decodeThreads`")
          Integer decodeThreads,
      @ConfigDoc(value = "This camera's realtime.", unset = "`defaults.realtime`")
          Boolean realtime) {

    CameraConfig over(Defaults d) {
      PipelineSettings pipeline =
          new PipelineSettings(
              fps == null ? d.fps() : fps,
              maxEdge == null ? d.maxEdge() : maxEdge,
              jpegQuality == null ? d.jpegQuality() : jpegQuality,
              jpegEncoder == null ? d.jpegEncoder() : jpegEncoder);
      // SourceSpec's messages name the option or scheme at fault (and redact credentials).
      SourceSpec source = ConfigException.within("", () -> SourceSpec.parse(uri, options));
      return new CameraConfig(
          id,
          source,
          pipeline,
          realtime == null ? d.realtime() : realtime,
          skip == null ? d.skip() : skip,
          decodeThreads == null ? d.decodeThreads() : decodeThreads);
    }
  }

  /** The cameras with their settings merged; a bad value fails naming {@code cameras[i].key}. */
  public IngestConfig toConfig() {
    List<CameraConfig> out = new ArrayList<>();
    for (int i = 0; i < cameras.size(); i++) {
      Camera c = cameras.get(i);
      out.add(ConfigException.within("cameras[" + i + "]", () -> c.over(defaults)));
    }
    return new IngestConfig(out);
  }
}
