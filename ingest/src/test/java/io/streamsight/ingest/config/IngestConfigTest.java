package io.streamsight.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.ingest.frame.JpegEncoder;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.source.GrabberSource.SkipMode;
import io.streamsight.schemas.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class IngestConfigTest {
  @TempDir Path dir;

  private IngestConfig load(String yaml) throws Exception {
    Path f = dir.resolve("cameras.yaml");
    Files.writeString(f, yaml);
    return IngestConfig.load(f);
  }

  private ConfigException error(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml));
  }

  @Test
  void camerasInheritDefaultsAndOverrideThem() throws Exception {
    IngestConfig c =
        load(
            """
            defaults: {fps: 2, maxEdge: 640, skip: keyframes}
            cameras:
              - id: lobby
                jpegEncoder: ffmpeg
                uri: rtsp://u:p@10.0.0.5/s1
                options: {transport: udp, buffer_size: 1024000}
              - id: door
                uri: /data/door.mp4
                fps: 10
                realtime: true
                decodeThreads: 2
            """);
    CameraConfig lobby = c.cameras().get(0);
    assertEquals(2, lobby.pipeline().targetFps());
    assertEquals(640, lobby.pipeline().maxEdge());
    assertEquals(85, lobby.pipeline().jpegQuality());
    assertEquals(SkipMode.KEYFRAMES, lobby.skip());
    assertEquals(JpegEncoder.Choice.FFMPEG, lobby.pipeline().jpegEncoder());
    assertEquals("udp", lobby.source().options().get("rtsp_transport"));
    assertEquals("1024000", lobby.source().options().get("buffer_size"));
    assertEquals(1, lobby.decodeThreads());
    CameraConfig door = c.cameras().get(1);
    assertEquals(10, door.pipeline().targetFps());
    assertTrue(door.realtime());
    assertEquals(2, door.decodeThreads());
    assertEquals(JpegEncoder.Choice.AUTO, door.pipeline().jpegEncoder());
  }

  @Test
  void withoutDefaultsEveryCameraGetsTheDocumentedOnes() throws Exception {
    CameraConfig only = load("cameras:\n  - {id: a, uri: a.mp4}\n").cameras().get(0);
    assertEquals(CameraConfig.of("a", "a.mp4", PipelineSettings.defaults()), only);
  }

  @Test
  void anUnknownJpegEncoderIsRejectedNamingTheCameraAndTheChoices() {
    ConfigException e =
        error(
            """
            cameras:
              - {id: gate, uri: /data/gate.mp4, jpegEncoder: imageio}
            """);
    assertEquals("cameras[0].jpegEncoder", e.path());
    assertTrue(
        e.getMessage()
            .endsWith(
                "got 'imageio' (text); allowed: one of auto, turbojpeg, ffmpeg"
                    + " (cameras[0] is id 'gate')"),
        e.getMessage());
  }

  @Test
  void theDocumentedExampleParses() throws Exception {
    IngestConfig c = IngestConfig.load(Path.of("cameras.example.yaml"));
    assertEquals(5, c.cameras().size());
    assertEquals(
        "rtsp://***@192.168.1.20:554/stream1", c.cameras().get(0).source().redactedInput());
    assertEquals("udp", c.cameras().get(1).source().options().get("rtsp_transport"));
    assertEquals(2, c.cameras().get(4).pipeline().targetFps());
    assertTrue(c.cameras().get(4).realtime());
  }

  @Test
  void errorsNameTheFileTheCameraAndTheKey() {
    ConfigException typo = error("cameras:\n  - {id: a, uri: x.mp4, fsp: 3}\n");
    assertEquals("cameras[0].fsp", typo.path());
    assertTrue(typo.getMessage().contains("unknown key; the keys in cameras[0] are [id, uri,"));
    ConfigException fps = error("cameras:\n  - {id: a, uri: x.mp4, fps: fast}\n");
    assertEquals(
        dir.resolve("cameras.yaml")
            + ": cameras[0].fps: got 'fast' (text); allowed: a number (cameras[0] is id 'a')",
        fps.getMessage());
    ConfigException edge =
        error(
            "cameras:\n  - {id: a, uri: a.mp4}\n  - {id: b, uri: b.mp4}\n  - {id: c, uri: c.mp4, maxEdge: 4}\n");
    assertEquals("cameras[2].maxEdge", edge.path());
    assertTrue(edge.getMessage().contains("got 4; allowed: an integer in 16..1664"));
    assertEquals("defaults.maxEdge", error("defaults: {maxEdge: 9000}\ncameras: []\n").path());
    assertTrue(
        error("cameras:\n  - {id: a}\n")
            .getMessage()
            .contains("cameras[0].uri: missing; required"));
    assertEquals(
        "cameras[1].id",
        error("cameras:\n  - {id: a, uri: x.mp4}\n  - {id: a, uri: y.mp4}\n").path());
    assertTrue(error("cameras: []\n").getMessage().contains("no cameras"));
    assertTrue(error("defaults: {fps: 2}\n").getMessage().contains("cameras: missing; required"));
    assertTrue(error("cameras: [\n").getMessage().contains("invalid YAML"));
    ConfigException transport =
        error("cameras:\n  - {id: a, uri: 'rtsp://h/s', options: {transport: quic}}\n");
    assertEquals("cameras[0]", transport.path());
    assertTrue(transport.getMessage().contains("'transport' must be tcp or udp"));
    assertEquals("cameras[0].id", error("cameras:\n  - {id: 12, uri: x.mp4}\n").path());
    assertEquals("cameras[0].id", error("cameras:\n  - {id: 'a b', uri: x.mp4}\n").path());
  }

  @Test
  void oneKeyConventionTheOldSnakeCaseKeysAreUnknown() {
    ConfigException e = error("defaults: {max_edge: 640}\ncameras:\n  - {id: a, uri: a.mp4}\n");
    assertEquals("defaults.max_edge", e.path());
    assertTrue(e.getMessage().contains("maxEdge"), e.getMessage());
  }
}
