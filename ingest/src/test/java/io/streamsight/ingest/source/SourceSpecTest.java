package io.streamsight.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceSpecTest {
  @Test
  void plainPathsAndFileUrisAreFiles() {
    SourceSpec a = SourceSpec.parse("/data/clip.mp4");
    SourceSpec b = SourceSpec.parse("file:///data/clip.mp4");
    assertEquals(SourceSpec.Kind.FILE, a.kind());
    assertEquals("/data/clip.mp4", b.input());
    assertFalse(b.live());
  }

  @Test
  void rtspDefaultsToTcpAndAcceptsUdp() {
    assertEquals("tcp", SourceSpec.parse("rtsp://cam/1").options().get("rtsp_transport"));
    SourceSpec udp = SourceSpec.parse("rtsp://cam/1", Map.of("transport", "udp"));
    assertEquals("udp", udp.options().get("rtsp_transport"));
    assertFalse(udp.options().containsKey("transport"));
    assertTrue(udp.live());
    assertThrows(
        IllegalArgumentException.class,
        () -> SourceSpec.parse("rtsp://cam/1", Map.of("transport", "sctp")));
  }

  @Test
  void devicesAndHttpAreLive() {
    SourceSpec v = SourceSpec.parse("v4l2:///dev/video0");
    assertEquals("/dev/video0", v.input());
    assertEquals("video4linux2", v.format());
    assertEquals(SourceSpec.Kind.V4L2, SourceSpec.parse("/dev/video2").kind());
    assertEquals(SourceSpec.Kind.HTTP, SourceSpec.parse("https://host/live.m3u8").kind());
  }

  @Test
  void credentialsAreRedacted() {
    assertEquals(
        "rtsp://***@10.0.0.5/s1",
        SourceSpec.parse("rtsp://admin:secret@10.0.0.5/s1").redactedInput());
  }

  @Test
  void unknownSchemesAreRejectedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("srt://host:9000"));
    assertTrue(e.getMessage().contains("srt://host:9000"), e.getMessage());
  }
}
