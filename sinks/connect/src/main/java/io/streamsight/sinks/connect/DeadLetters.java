package io.streamsight.sinks.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Hands records that can never be delivered to Connect's errant-record reporter, which writes them
 * to the subscription's dead-letter topic with the reason in its {@code __connect.errors.*}
 * headers. Waits for the writes, so an offset is only committed past a record once it is either
 * delivered or dead-lettered. Without a reporter (no {@code errors.tolerance=all}) the task fails
 * instead: nothing disappears.
 */
public final class DeadLetters {
  private final SinkTaskContext context;

  public DeadLetters(SinkTaskContext context) {
    this.context = context;
  }

  /** A record and why it is dead-lettered. */
  public record Entry(SinkRecord record, Throwable reason) {}

  public void report(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    ErrantRecordReporter reporter = reporter();
    if (reporter == null) {
      Entry first = entries.get(0);
      throw new ConnectException(
          "Cannot deliver "
              + where(first.record())
              + " and no dead-letter queue is configured (errors.tolerance=all,"
              + " errors.deadletterqueue.topic.name): "
              + first.reason().getMessage(),
          first.reason());
    }
    List<Future<Void>> pending = new ArrayList<>();
    for (Entry e : entries) {
      pending.add(reporter.report(e.record(), e.reason()));
    }
    for (Future<Void> f : pending) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException("Interrupted while writing dead letters", e);
      } catch (ExecutionException e) {
        throw new ConnectException("Cannot write a dead letter", e.getCause());
      }
    }
  }

  private ErrantRecordReporter reporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      return null; // a worker older than Kafka 2.6
    }
  }

  public static String where(SinkRecord r) {
    return r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset();
  }
}
