package io.streamsight.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.ingest.frame.JpegEncoder;
import io.streamsight.ingest.source.GrabberSource.SkipMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {
  @TempDir Path dir;

  private IngestConfig load(String yaml) throws Exception {
    Path f = dir.resolve("cameras.yaml");
    Files.writeString(f, yaml);
    return IngestConfig.load(f);
  }

  private String error(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void camerasInheritDefaultsAndOverrideThem() throws Exception {
    IngestConfig c =
        load(
            """
            defaults: {fps: 2, max_edge: 640, skip: keyframes}
            cameras:
              - id: lobby
                jpeg_encoder: ffmpeg
                uri: rtsp://u:p@10.0.0.5/s1
                options: {transport: udp}
              - id: door
                uri: /data/door.mp4
                fps: 10
                realtime: true
            """);
    CameraConfig lobby = c.cameras().get(0);
    assertEquals(2, lobby.pipeline().targetFps());
    assertEquals(640, lobby.pipeline().maxEdge());
    assertEquals(SkipMode.KEYFRAMES, lobby.skip());
    assertEquals(JpegEncoder.Choice.FFMPEG, lobby.pipeline().jpegEncoder());
    assertEquals("udp", lobby.source().options().get("rtsp_transport"));
    CameraConfig door = c.cameras().get(1);
    assertEquals(10, door.pipeline().targetFps());
    assertTrue(door.realtime());
    assertEquals(JpegEncoder.Choice.AUTO, door.pipeline().jpegEncoder());
  }

  @Test
  void anUnknownJpegEncoderIsRejectedNamingTheCameraAndTheChoices() {
    String msg =
        error(
            """
            cameras:
              - {id: gate, uri: /data/gate.mp4, jpeg_encoder: imageio}
            """);
    assertTrue(msg.contains("gate") && msg.contains("auto, turbojpeg or ffmpeg"), msg);
  }

  @Test
  void theDocumentedExampleParses() throws Exception {
    IngestConfig c = IngestConfig.load(Path.of("cameras.example.yaml"));
    assertEquals(5, c.cameras().size());
    assertEquals(
        "rtsp://***@192.168.1.20:554/stream1", c.cameras().get(0).source().redactedInput());
    assertEquals("udp", c.cameras().get(1).source().options().get("rtsp_transport"));
  }

  @Test
  void errorsNameTheCameraAndKey() {
    assertTrue(error("cameras:\n  - {id: a, uri: x.mp4, fsp: 3}\n").contains("unknown key 'fsp'"));
    String fps = error("cameras:\n  - {id: a, uri: x.mp4, fps: fast}\n");
    assertTrue(fps.contains("(a)") && fps.contains("'fps'"), fps);
    assertTrue(error("cameras:\n  - {id: a}\n").contains("'uri'"));
    assertTrue(
        error("cameras:\n  - {id: a, uri: x.mp4}\n  - {id: a, uri: y.mp4}\n").contains("twice"));
    assertTrue(error("cameras: []\n").contains("no cameras"));
    assertTrue(error("cameras: [\n").contains("invalid YAML"));
  }
}
