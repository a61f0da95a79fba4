package io.streamsight.archive.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeSpecTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static long micros(String iso) {
    return Instant.parse(iso).toEpochMilli() * 1000;
  }

  @Test
  void shouldReadRelativeIsoAndDateForms() {
    assertEquals(micros("2026-11-19T12:00:00Z"), TimeSpec.parseMicros("-24h", NOW, UTC));
    assertEquals(micros("2026-11-13T12:00:00Z"), TimeSpec.parseMicros("-7d", NOW, UTC));
    assertEquals(micros("2026-11-20T11:30:00Z"), TimeSpec.parseMicros("-30m", NOW, UTC));
    assertEquals(micros("2026-11-20T12:00:00Z"), TimeSpec.parseMicros("now", NOW, UTC));
    assertEquals(
        micros("2026-11-20T07:00:00Z"),
        TimeSpec.parseMicros("2026-11-20T08:00:00+01:00", NOW, UTC));
    assertEquals(
        micros("2026-11-20T08:00:00Z"), TimeSpec.parseMicros("2026-11-20T08:00", NOW, UTC));
    assertEquals(micros("2026-11-20T00:00:00Z"), TimeSpec.parseMicros("2026-11-20", NOW, UTC));
  }

  @Test
  void shouldNameTheAcceptedFormsWhenItCannotRead() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TimeSpec.parseMicros("yesterday", NOW, UTC));
    assertTrue(e.getMessage().contains("-24h"), e.getMessage());
  }
}
