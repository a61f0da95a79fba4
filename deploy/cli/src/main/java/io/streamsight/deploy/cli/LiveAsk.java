package io.streamsight.deploy.cli;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One live question from the CLI: get the clients ready, then stamp and send the question, then
 * wait for its answer. The stamp ({@code createdMicros}) is taken only once both clients are ready,
 * so the answer's frame age and the pipeline's latency are measured from when the question really
 * left, not from when the JVM began creating Kafka clients (about a second of the old 3 to 4 s).
 *
 * <p>Start-up runs in parallel: the broker probe ({@link BrokerReach}), the producer (created and
 * its metadata for {@code vlm.queries} fetched, so the send does not wait for it) and the consumer
 * (assigned the answer partitions directly, no group, positioned at their ends before the question
 * goes, so the answer cannot be missed). The probe fails the whole within about 5 s when the broker
 * does not answer.
 */
final class LiveAsk implements AutoCloseable {
  private static final AvroCodec<Answer> ANSWERS = AvroCodec.of(Answer.class);

  private final String bootstrap;
  private final LongSupplier clockMicros;
  private final Consumer<String> trace;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean abandoned;
  private KafkaProducer<byte[], byte[]> producer;

  /**
   * @param clockMicros the wall clock, µs since the epoch (tests pass one that records its calls)
   * @param trace told "answers positioned" and "producer ready" as those happen
   */
  LiveAsk(String bootstrap, LongSupplier clockMicros, Consumer<String> trace) {
    this.bootstrap = bootstrap;
    this.clockMicros = clockMicros;
    this.trace = trace;
  }

  /** Creates and readies both clients; throws {@link BrokerReach.UnreachableException} fast. */
  LiveAsk prepare(Duration metadataWait) {
    // Own threads: the common pool has one worker on a 2-core machine, which would serialise these.
    ExecutorService threads =
        Executors.newFixedThreadPool(
            3,
            r -> {
              Thread t = new Thread(r, "ask-start");
              t.setDaemon(true);
              return t;
            });
    try {
      return prepare(metadataWait, threads);
    } finally {
      threads.shutdown();
    }
  }

  private LiveAsk prepare(Duration metadataWait, ExecutorService threads) {
    CompletableFuture<Void> probe =
        CompletableFuture.runAsync(() -> BrokerReach.require(bootstrap), threads);
    CompletableFuture<KafkaProducer<byte[], byte[]>> producing =
        CompletableFuture.supplyAsync(
            () -> {
              KafkaProducer<byte[], byte[]> p = RulesCommand.producer(bootstrap);
              p.partitionsFor(Topics.QUERIES.name()); // metadata now, not on the send
              trace.accept("producer ready");
              return p;
            },
            threads);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamsight-ask");
    // The consumer is created on a pool thread too: the main thread waits for the probe, so an
    // unreachable broker is reported without first paying for the Kafka client's start-up.
    CompletableFuture<Void> positioning =
        CompletableFuture.runAsync(
            () -> {
              KafkaConsumer<byte[], byte[]> c =
                  new KafkaConsumer<>(
                      props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
              consumer = c;
              if (abandoned) {
                return; // closed below, once this task is done with it
              }
              List<TopicPartition> parts = answerPartitions(metadataWait);
              c.assign(parts);
              c.seekToEnd(parts);
              parts.forEach(c::position); // pin the start before asking
              trace.accept("answers positioned");
            },
            threads);
    try {
      probe.join();
    } catch (CompletionException e) {
      abandoned = true;
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup(); // its metadata wait would otherwise run on to --timeout
      }
      producing.thenAccept(p -> p.close(Duration.ZERO));
      positioning.whenComplete(
          (v, err) -> {
            KafkaConsumer<byte[], byte[]> done = consumer;
            if (done != null) {
              done.close(Duration.ZERO);
            }
          });
      throw (RuntimeException) e.getCause();
    }
    try {
      positioning.join();
      producer = producing.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    return this;
  }

  /**
   * The partitions of {@code vlm.answers}; a topic created a moment ago may show none yet, so this
   * asks again until {@code wait} has passed.
   */
  private List<TopicPartition> answerPartitions(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<TopicPartition> parts =
          consumer.partitionsFor(Topics.ANSWERS.name(), wait).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      if (!parts.isEmpty()) {
        return parts;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "topic "
                + Topics.ANSWERS.name()
                + " has no partitions at "
                + bootstrap
                + " (create the topics: streamsight topics create)");
      }
      try {
        Thread.sleep(100); // a short pause between metadata requests, within the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + Topics.ANSWERS.name(), e);
      }
    }
  }

  /**
   * Stamps {@code q} now (clients ready), sends it and waits for the ack; returns what was sent.
   */
  Query send(Query.Builder q, Duration timeout) throws Exception {
    long now = clockMicros.getAsLong();
    Query query =
        q.setQueryId(UUID.randomUUID().toString())
            .setCreatedMicros(now)
            .setDeadlineMicros(now + timeout.toNanos() / 1000)
            .build();
    AskCommand.publish(producer, query);
    return query;
  }

  /** The first answer to {@code queryId} within {@code timeout}, or null. */
  Answer await(String queryId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      for (ConsumerRecord<byte[], byte[]> r :
          consumer.poll(Duration.ofMillis(Math.min(left, 500)))) {
        Answer a = ANSWERS.decode(r.topic(), r.partition(), r.offset(), r.value());
        if (a.getQueryId().equals(queryId)) {
          return a;
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null && !abandoned) {
      c.close(Duration.ZERO);
    }
  }
}
