package io.streamsight.vlm.remote;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Consecutive failed calls open the circuit for a while; then one trial call is let through: its
 * success closes the circuit, its failure opens it again. While open (or while the trial runs)
 * {@link #tryAcquire} says no at once, so callers shed instead of queueing behind a dead server.
 *
 * <p>A call is failed when the server could not be reached or kept answering 408/429/5xx until the
 * retries were spent; an answer proving the server is alive (a success) resets the count. A request
 * the server rejects on its merits (400, 401, malformed output) leaves the count alone: it says
 * nothing about the server's health.
 */
final class CircuitBreaker {
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int failuresToOpen;
  private final long openForNanos;
  private final LongSupplier nanoClock;
  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean trialInFlight;

  CircuitBreaker(int failuresToOpen, Duration openFor, LongSupplier nanoClock) {
    this.failuresToOpen = failuresToOpen;
    this.openForNanos = openFor.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Whether a call may start now. In {@code HALF_OPEN} only the first caller gets the trial; it
   * must report back with {@link #success} or {@link #failure} (or {@link #neutral}).
   */
  synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nanoClock.getAsLong() - openedAt < openForNanos) {
          return false;
        }
        state = State.HALF_OPEN;
        trialInFlight = true;
        return true;
      default:
        if (trialInFlight) {
          return false;
        }
        trialInFlight = true;
        return true;
    }
  }

  synchronized void success() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  synchronized void failure() {
    consecutiveFailures++;
    if (state == State.HALF_OPEN || consecutiveFailures >= failuresToOpen) {
      state = State.OPEN;
      openedAt = nanoClock.getAsLong();
    }
    trialInFlight = false;
  }

  /** The call ended in a way that says nothing about the server; a trial may be retried. */
  synchronized void neutral() {
    trialInFlight = false;
  }

  synchronized State state() {
    return state;
  }

  /** How long until an open circuit lets a trial through (zero when not open). */
  synchronized Duration remainingOpen() {
    if (state != State.OPEN) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, openForNanos - (nanoClock.getAsLong() - openedAt)));
  }
}
