package io.streamsight.sampler;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the sampler's producer cannot write because it is too large (for {@code
 * max.request.size} or the topic's {@code max.message.bytes}) would otherwise fail the stream
 * thread, which restarts, reads the same frame and fails again, forever. Instead the frame is
 * dead-lettered to {@code dlq.frame-sampler}, truncated to fit, with the reason, and processing
 * goes on. A dead letter that is itself too large is dead-lettered again, cut to {@link
 * #SECOND_TRY_BYTES}.
 *
 * <p>Under exactly-once the failed write still aborts the transaction and ends the stream thread;
 * {@link #uncaughtExceptionHandler()} replaces it once and the replay skips the record.
 *
 * <p>The dead letter goes through a producer of its own (created on the first oversized record,
 * idempotent, {@code acks=all}) and is acknowledged before the handler answers CONTINUE; if it
 * cannot be written the handler answers FAIL, so nothing disappears. Every other production error
 * fails as by default.
 */
public final class OversizedRecordHandler implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(OversizedRecordHandler.class);

  /** How much of the original a dead letter keeps when the first one was too large too. */
  static final int SECOND_TRY_BYTES = 64 << 10;

  private final TopicDescriptor<byte[], DeadLetter> dlq = Topics.dlq(OversizedRecords.STAGE);
  private Map<String, Object> producerConfig;
  private String application;
  private KafkaProducer<byte[], byte[]> producer;

  /**
   * The RecordTooLargeExceptions already pinned on their record. Once a write of a transaction is
   * too large, the producer fails every later write of that transaction with the same exception
   * instance (its "last error"): those records are not too large themselves and must not be
   * dead-lettered, only replayed. Throwable compares by identity; weak, so none is kept for long.
   */
  private final Set<Throwable> attributed = Collections.newSetFromMap(new WeakHashMap<>());

  @Override
  public void configure(Map<String, ?> configs) {
    Map<String, Object> p = new HashMap<>();
    p.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, dlq.producerMaxRequestSize());
    p.put(
        ProducerConfig.CLIENT_ID_CONFIG, configs.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-dlq");
    this.producerConfig = p;
    this.application = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
  }

  @Override
  public ProductionExceptionHandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (!causedByRecordTooLarge(exception)) {
      return ProductionExceptionHandlerResponse.FAIL;
    }
    String source =
        OversizedRecords.key(application, context.topic(), context.partition(), context.offset());
    if (!(exception instanceof RecordTooLargeException)) {
      // A later write of the same transaction, refused because the transaction is already
      // failed by the oversized record: the transaction aborts and the input is replayed, and the
      // processor then skips the dead-lettered record.
      return ProductionExceptionHandlerResponse.CONTINUE;
    }
    if (OversizedRecords.wasDeadLettered(source)) {
      return ProductionExceptionHandlerResponse.CONTINUE;
    }
    synchronized (attributed) {
      if (!attributed.add(exception)) {
        // Another write's error, handed on to this one (see attributed): replayed, not dropped.
        return ProductionExceptionHandlerResponse.CONTINUE;
      }
    }
    boolean wasDeadLetter = record.topic().equals(dlq.name());
    int keep = wasDeadLetter ? SECOND_TRY_BYTES : Topics.DLQ_MAX_ORIGINAL_BYTES;
    int size = record.value() == null ? 0 : record.value().length;
    String reason =
        (wasDeadLetter ? "dead letter" : "record")
            + " for "
            + record.topic()
            + " of "
            + size
            + " bytes is too large to write: "
            + exception.getMessage();
    // The source frame is the evidence worth keeping (the output is derived from it).
    byte[] original = context.sourceRawValue() != null ? context.sourceRawValue() : record.value();
    DeadLetter dl =
        OversizedRecords.deadLetter(
            context.topic(),
            context.partition(),
            context.offset(),
            context.sourceRawKey(),
            original,
            exception,
            reason,
            keep);
    try {
      byte[] value = dlq.valueSerde().serializer().serialize(dlq.name(), dl);
      producer()
          .send(new ProducerRecord<>(dlq.name(), context.sourceRawKey(), value))
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("cannot dead-letter an oversized record ({}); failing", reason, e);
      return ProductionExceptionHandlerResponse.FAIL;
    }
    OversizedRecords.markDeadLettered(source);
    LOG.warn("dead-lettered to {}: {}", dlq.name(), reason);
    return ProductionExceptionHandlerResponse.CONTINUE;
  }

  /**
   * The stream-thread exception handler the sampler runs with. Under exactly-once an oversized
   * write fails the whole transaction (Kafka's producer cannot drop one record of it), which kills
   * the stream thread however this class answers. Once the record is dead-lettered, the thread is
   * replaced: the new one replays the aborted input and {@link KeyframeProcessor} skips the
   * dead-lettered record, so this happens once per such record. Anything else shuts the client
   * down, as by default.
   */
  public static StreamsUncaughtExceptionHandler uncaughtExceptionHandler() {
    return e -> {
      if (causedByRecordTooLarge(e) && OversizedRecords.takeReplacement()) {
        LOG.warn(
            "replacing the stream thread after a dead-lettered oversized record: {}", e.toString());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    };
  }

  private static boolean causedByRecordTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException) {
        return true;
      }
    }
    return false;
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }
}
