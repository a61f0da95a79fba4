package io.streamsight.sinks.connect.status;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivery counters of the subscription tasks running in this worker JVM, served by {@link
 * StatusResource} at {@code /streamsight/subscriptions}. They count since the task started on this
 * worker: Connect keeps offsets, not counters, and a status view must not cost a Kafka round trip
 * per delivery. Error texts never hold a secret (the senders only name the receiver's origin).
 */
public final class DeliveryStats {
  private static final Map<String, DeliveryStats> BY_TASK = new ConcurrentHashMap<>();

  private final String subscription;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong filtered = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong retrying = new AtomicLong();
  private final AtomicReference<TimedText> lastError = new AtomicReference<>();

  /** An error message and when it happened. */
  public record TimedText(Instant at, String text) {}

  private DeliveryStats(String subscription) {
    this.subscription = subscription;
  }

  private static final AtomicLong TASKS = new AtomicLong();

  /** The counters of one task (fresh when the task starts again on this worker). */
  public static DeliveryStats register(String subscription) {
    DeliveryStats s = new DeliveryStats(subscription);
    BY_TASK.put(subscription + "#" + TASKS.incrementAndGet(), s);
    return s;
  }

  /** Forgets a stopped task's counters. */
  public void unregister() {
    BY_TASK.values().remove(this);
  }

  /** The sum over this worker's tasks of {@code subscription}, or null if none runs here. */
  public static Snapshot of(String subscription) {
    Snapshot sum = null;
    for (DeliveryStats s : BY_TASK.values()) {
      if (s.subscription.equals(subscription)) {
        sum = sum == null ? s.snapshot() : sum.plus(s.snapshot());
      }
    }
    return sum;
  }

  /** Every subscription with a task on this worker, summed per subscription (metrics). */
  public static Map<String, Snapshot> all() {
    Map<String, Snapshot> out = new java.util.TreeMap<>();
    for (DeliveryStats s : BY_TASK.values()) {
      out.merge(s.subscription, s.snapshot(), Snapshot::plus);
    }
    return out;
  }

  public void delivered() {
    delivered.incrementAndGet();
  }

  public void filtered() {
    filtered.incrementAndGet();
  }

  public void deadLettered(String why) {
    deadLettered.incrementAndGet();
    error(why);
  }

  /** Records waiting for a retry right now. */
  public void retrying(long records, String why) {
    retrying.set(records);
    if (why != null) {
      error(why);
    }
  }

  public void error(String why) {
    lastError.set(new TimedText(Instant.now(), why));
  }

  public Snapshot snapshot() {
    return new Snapshot(
        delivered.get(), filtered.get(), retrying.get(), deadLettered.get(), lastError.get());
  }

  /** Counters at one moment. */
  public record Snapshot(
      long delivered, long filtered, long retrying, long deadLettered, TimedText lastError) {
    Snapshot plus(Snapshot o) {
      TimedText last = lastError;
      if (last == null || (o.lastError != null && o.lastError.at().isAfter(last.at()))) {
        last = o.lastError;
      }
      return new Snapshot(
          delivered + o.delivered,
          filtered + o.filtered,
          retrying + o.retrying,
          deadLettered + o.deadLettered,
          last);
    }
  }
}
