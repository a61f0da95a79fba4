package io.streamsight.vlm.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong();
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertTrue(breaker.tryAcquire());
      breaker.failure();
    }
  }

  @Test
  void opensAfterConsecutiveFailuresOnly() {
    fail(2);
    assertTrue(breaker.tryAcquire());
    breaker.success(); // resets the count
    fail(2);
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    fail(1);
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    assertFalse(breaker.tryAcquire());
    assertEquals(Duration.ofSeconds(30), breaker.remainingOpen());
  }

  @Test
  void rejectionsOnTheirMeritsNeitherCountNorReset() {
    fail(2);
    assertTrue(breaker.tryAcquire());
    breaker.neutral();
    fail(1);
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
  }

  @Test
  void afterOpenForOneTrialGoesThroughAndItsSuccessCloses() {
    fail(3);
    advance(Duration.ofSeconds(29));
    assertFalse(breaker.tryAcquire());
    advance(Duration.ofSeconds(1));
    assertTrue(breaker.tryAcquire()); // the trial
    assertFalse(breaker.tryAcquire()); // others wait for its verdict
    breaker.success();
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    assertTrue(breaker.tryAcquire());
  }

  @Test
  void aFailedTrialOpensTheCircuitForAnotherPeriod() {
    fail(3);
    advance(Duration.ofSeconds(30));
    assertTrue(breaker.tryAcquire());
    breaker.failure();
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    advance(Duration.ofSeconds(10));
    assertFalse(breaker.tryAcquire());
    assertEquals(Duration.ofSeconds(20), breaker.remainingOpen());
  }

  @Test
  void aNeutralTrialLetsTheNextCallerTry() {
    fail(3);
    advance(Duration.ofSeconds(30));
    assertTrue(breaker.tryAcquire());
    breaker.neutral();
    assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
    assertTrue(breaker.tryAcquire());
  }
}
