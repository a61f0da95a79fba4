package io.streamsight.vlm.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryDelayTest {
  private static final Instant NOW = Instant.parse("2026-12-08T03:00:00Z");

  @Test
  void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
    assertEquals(Optional.of(Duration.ofSeconds(7)), RetryDelay.parseRetryAfter(null, "7", NOW));
    assertEquals(
        Optional.of(Duration.ofMillis(1500)), RetryDelay.parseRetryAfter(null, " 1.5 ", NOW));
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(42).atOffset(ZoneOffset.UTC));
    assertEquals(Optional.of(Duration.ofSeconds(42)), RetryDelay.parseRetryAfter(null, date, NOW));
    String past =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(5).atOffset(ZoneOffset.UTC));
    assertEquals(Optional.of(Duration.ZERO), RetryDelay.parseRetryAfter(null, past, NOW));
  }

  @Test
  void openAisRetryAfterMsWinsAndGarbageIsIgnored() {
    assertEquals(Optional.of(Duration.ofMillis(250)), RetryDelay.parseRetryAfter("250", "9", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(9)), RetryDelay.parseRetryAfter("x", "9", NOW));
    assertEquals(Optional.empty(), RetryDelay.parseRetryAfter(null, "soon", NOW));
    assertEquals(Optional.empty(), RetryDelay.parseRetryAfter(null, null, NOW));
    assertEquals(Optional.empty(), RetryDelay.parseRetryAfter(null, "NaN", NOW));
    // a hostile value does not overflow: capped at a day before the cap of the delay itself
    assertEquals(Optional.of(Duration.ofDays(1)), RetryDelay.parseRetryAfter(null, "1e300", NOW));
  }

  @Test
  void backoffGrowsExponentiallyWithJitterUpToTheCap() {
    RetryDelay d = new RetryDelay(Duration.ofSeconds(2));
    for (int i = 0; i < 200; i++) {
      long first = d.delay(1, Optional.empty()).toMillis();
      long third = d.delay(3, Optional.empty()).toMillis();
      long tenth = d.delay(10, Optional.empty()).toMillis();
      assertTrue(first >= 125 && first <= 250, "first " + first);
      assertTrue(third >= 500 && third <= 1000, "third " + third);
      assertTrue(tenth >= 1000 && tenth <= 2000, "tenth " + tenth);
    }
  }

  @Test
  void theServersRetryAfterIsHonouredFlooredAndCapped() {
    RetryDelay d = new RetryDelay(Duration.ofSeconds(10));
    assertEquals(Duration.ofSeconds(4), d.delay(1, Optional.of(Duration.ofSeconds(4))));
    // Retry-After: 0 cannot make a client spin
    assertTrue(d.delay(1, Optional.of(Duration.ZERO)).compareTo(RetryDelay.RETRY_AFTER_FLOOR) >= 0);
    // never longer than maxBackoff, whatever the server asks
    assertEquals(Duration.ofSeconds(10), d.delay(1, Optional.of(Duration.ofHours(1))));
  }
}
