package io.streamsight.sinks.connect.payload;

import io.streamsight.sinks.connect.DeadLetters;
import io.streamsight.sinks.connect.status.DeliveryStats;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The step every subscription task takes before delivering a record: decode it (a record that does
 * not decode is dead-lettered with the reason, never dropped) and apply the subscription's filter.
 * One place, so the webhook and MQTT tasks count and dead-letter the same way.
 */
public final class Admission {
  private final Notifications notifications;
  private final SubscriptionFilter filter;
  private final DeliveryStats stats;

  public Admission(Notifications notifications, SubscriptionFilter filter, DeliveryStats stats) {
    this.notifications = notifications;
    this.filter = filter;
    this.stats = stats;
  }

  /**
   * The record's notification when it is to be delivered; empty when it was added to {@code dead}
   * (undecodable) or filtered out. Either way the caller marks the record as done.
   */
  public Optional<Notification> admit(SinkRecord r, List<DeadLetters.Entry> dead) {
    Notification n;
    try {
      n = notifications.decode(r);
    } catch (DataException e) {
      stats.deadLettered(e.getMessage());
      dead.add(new DeadLetters.Entry(r, e));
      return Optional.empty();
    }
    if (!filter.accepts(n)) {
      stats.filtered();
      return Optional.empty();
    }
    return Optional.of(n);
  }
}
