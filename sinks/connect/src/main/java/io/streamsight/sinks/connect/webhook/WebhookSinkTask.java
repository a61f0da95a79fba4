package io.streamsight.sinks.connect.webhook;

import io.streamsight.sinks.connect.DeadLetters;
import io.streamsight.sinks.connect.Versions;
import io.streamsight.sinks.connect.payload.Admission;
import io.streamsight.sinks.connect.payload.Notification;
import io.streamsight.sinks.connect.payload.Notifications;
import io.streamsight.sinks.connect.status.DeliveryStats;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a batch: partitions in parallel (up to {@code webhook.concurrency}), the records of one
 * partition (so of one camera) strictly one after another. A retriable failure stops its partition
 * and makes {@link #put} throw {@link RetriableException} after the other partitions finish;
 * Connect then pauses consumption and hands the same batch back, and the records already delivered
 * are skipped ({@link #deliveredUpTo}), so a receiver sees each id again only if the worker dies
 * before committing. The wait between attempts is enforced here because Connect calls {@code put}
 * again at its next offset-commit tick at the latest.
 */
public class WebhookSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSinkTask.class);

  private String name;
  private WebhookConfig config;
  private Admission admission;
  private WebhookSender sender;
  private DeliveryStats stats;
  private DeadLetters deadLetters;
  private ExecutorService pool;

  /** Highest offset per partition delivered, filtered or dead-lettered in the current batch. */
  private final Map<TopicPartition, Long> deliveredUpTo = new ConcurrentHashMap<>();

  /** Failed attempts of the record a partition is stuck on. */
  private final Map<TopicPartition, Attempts> attempts = new ConcurrentHashMap<>();

  private long retryNotBeforeNanos;
  private String retryReason;

  private record Attempts(long offset, int count) {}

  private record PartitionResult(
      List<DeadLetters.Entry> deadLetters,
      String retryReason,
      long retryDelayMillis,
      int waiting) {}

  @Override
  public String version() {
    return Versions.current();
  }

  @Override
  public void start(Map<String, String> props) {
    name = props.getOrDefault("name", "webhook");
    config = WebhookConfig.parse(props);
    sender = new WebhookSender(config, Clock.systemUTC());
    stats = DeliveryStats.register(name);
    admission =
        new Admission(new Notifications(config.snapshotUrlTemplate()), config.filter(), stats);
    deadLetters = new DeadLetters(context);
    AtomicInteger n = new AtomicInteger();
    pool =
        Executors.newFixedThreadPool(
            config.concurrency(),
            r -> {
              Thread t = new Thread(r, "webhook-" + name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    LOG.info("Subscription {} delivering to {}", name, config);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    long wait = (retryNotBeforeNanos - System.nanoTime()) / 1_000_000;
    if (retryReason != null && wait > 0) {
      context.timeout(wait);
      throw new RetriableException("waiting " + wait + " ms to retry: " + retryReason);
    }
    Map<TopicPartition, List<SinkRecord>> byPartition = new LinkedHashMap<>();
    for (SinkRecord r : records) {
      byPartition
          .computeIfAbsent(
              new TopicPartition(r.topic(), r.kafkaPartition()), k -> new ArrayList<>())
          .add(r);
    }
    List<PartitionResult> results = new ArrayList<>();
    if (byPartition.size() == 1) {
      var e = byPartition.entrySet().iterator().next();
      results.add(deliver(e.getKey(), e.getValue()));
    } else {
      List<Future<PartitionResult>> futures = new ArrayList<>();
      byPartition.forEach((tp, list) -> futures.add(pool.submit(() -> deliver(tp, list))));
      for (Future<PartitionResult> f : futures) {
        try {
          results.add(f.get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RetriableException("interrupted while delivering", e);
        } catch (ExecutionException e) {
          throw new ConnectException("Delivery failed unexpectedly", e.getCause());
        }
      }
    }
    List<DeadLetters.Entry> dead = new ArrayList<>();
    long delay = Long.MAX_VALUE;
    String reason = null;
    int waiting = 0;
    for (PartitionResult r : results) {
      dead.addAll(r.deadLetters());
      if (r.retryReason() != null) {
        waiting += r.waiting();
        if (r.retryDelayMillis() < delay) {
          delay = r.retryDelayMillis();
          reason = r.retryReason();
        }
      }
    }
    deadLetters.report(dead);
    if (reason != null) {
      stats.retrying(waiting, reason);
      retryNotBeforeNanos = System.nanoTime() + delay * 1_000_000;
      retryReason = reason;
      context.timeout(delay);
      throw new RetriableException("retrying in " + delay + " ms: " + reason);
    }
    retryReason = null;
    stats.retrying(0, null);
    // The whole batch is done: Connect moves its offsets forward, so the marks are not needed.
    for (TopicPartition tp : byPartition.keySet()) {
      deliveredUpTo.remove(tp);
    }
  }

  private PartitionResult deliver(TopicPartition tp, List<SinkRecord> records) {
    List<DeadLetters.Entry> dead = new ArrayList<>();
    long done = deliveredUpTo.getOrDefault(tp, -1L);
    for (int i = 0; i < records.size(); i++) {
      SinkRecord r = records.get(i);
      if (r.kafkaOffset() <= done) {
        continue;
      }
      Optional<Notification> admitted = admission.admit(r, dead);
      if (admitted.isEmpty()) {
        deliveredUpTo.put(tp, r.kafkaOffset());
        continue;
      }
      Notification n = admitted.get();
      Delivery d = sender.send(n);
      if (d.kind() == Delivery.Kind.DELIVERED) {
        stats.delivered();
        attempts.remove(tp);
        deliveredUpTo.put(tp, r.kafkaOffset());
        continue;
      }
      if (d.kind() == Delivery.Kind.PERMANENT) {
        deadLetter(dead, r, n.id() + " (" + DeadLetters.where(r) + "): " + d.detail());
        attempts.remove(tp);
        deliveredUpTo.put(tp, r.kafkaOffset());
        continue;
      }
      Attempts a = attempts.get(tp);
      int count = a != null && a.offset() == r.kafkaOffset() ? a.count() + 1 : 1;
      if (config.maxAttempts() > 0 && count >= config.maxAttempts()) {
        deadLetter(dead, r, n.id() + ": gave up after " + count + " attempts: " + d.detail());
        attempts.remove(tp);
        deliveredUpTo.put(tp, r.kafkaOffset());
        continue;
      }
      attempts.put(tp, new Attempts(r.kafkaOffset(), count));
      long delay = config.backoff().delayMillis(count, d.retryAfterMillis());
      return new PartitionResult(
          dead, n.id() + " attempt " + count + ": " + d.detail(), delay, records.size() - i);
    }
    return new PartitionResult(dead, null, 0, 0);
  }

  private void deadLetter(List<DeadLetters.Entry> dead, SinkRecord r, String why) {
    stats.deadLettered(why);
    dead.add(new DeadLetters.Entry(r, new WebhookDeliveryException(why)));
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    // Offsets go back to the last commit: redelivered records are sent again, same ids.
    for (TopicPartition tp : partitions) {
      deliveredUpTo.remove(tp);
      attempts.remove(tp);
    }
  }

  @Override
  public void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (sender != null) {
      sender.close();
    }
    if (stats != null) {
      stats.unregister();
    }
  }
}
