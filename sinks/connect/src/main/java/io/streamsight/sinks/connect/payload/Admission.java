package io.streamsight.sinks.connect.payload;

import io.streamsight.schemas.validation.InvalidRecordException;
import io.streamsight.schemas.validation.RecordChecks;
import io.streamsight.sinks.connect.DeadLetters;
import io.streamsight.sinks.connect.status.DeliveryStats;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The step every subscription task takes before delivering a record: decode it, apply the
 * subscription's filter, and check it can be delivered at all (a record that does not decode or
 * fails {@link RecordChecks} is dead-lettered with the reason, never dropped). One place, so the
 * webhook and MQTT tasks count and dead-letter the same way.
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
    // After the filter: a subscription dead-letters only the bad records it would have delivered.
    String problem = undeliverable(n);
    if (problem != null) {
      DataException e =
          new DataException("Cannot deliver record " + DeadLetters.where(r) + ": " + problem);
      stats.deadLettered(e.getMessage());
      dead.add(new DeadLetters.Entry(r, e));
      return Optional.empty();
    }
    return Optional.of(n);
  }

  /**
   * Why a decoded record can never be delivered (its ids would be refused as an HTTP header or an
   * MQTT topic, its evidence points outside {@code cameras.keyframes}), or null. Checked here, so
   * such a record is dead-lettered naming the field instead of throwing inside a send and failing
   * the task again after every restart.
   */
  static String undeliverable(Notification n) {
    try {
      if (n.isAlert()) {
        RecordChecks.alert(n.alert());
      } else if (n.summary() != null) {
        RecordChecks.summary(n.summary());
      }
      return null;
    } catch (InvalidRecordException e) {
      return e.getMessage();
    }
  }
}
