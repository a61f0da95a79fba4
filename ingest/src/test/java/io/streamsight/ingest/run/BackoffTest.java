package io.streamsight.ingest.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

  @Test
  void growsExponentiallyUpToTheCap() {
    Random r = new Random(1);
    for (int attempt = 0; attempt < 100; attempt++) {
      long ms = backoff.delay(attempt, r).toMillis();
      long ceiling = Math.min(30_000, 500L << Math.min(attempt, 20));
      assertTrue(ms >= 250 && ms <= ceiling, attempt + ": " + ms);
    }
  }

  @Test
  void jittersSoCamerasDoNotReconnectInLockstep() {
    Random r = new Random(2);
    Set<Long> delays = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      delays.add(backoff.delay(6, r).toMillis());
    }
    assertTrue(delays.size() > 15, delays.toString());
  }
}
