package io.streamsight.archive.consume;

import io.streamsight.archive.ArchiveException;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the archive cannot index go to {@code dlq.archive} with the reason. The index commit that
 * moves past a dead-lettered record first waits for the dead letter to be acknowledged ({@link
 * #flush}), so a record is never both unindexed and unreported; after a crash it may be reported
 * twice (at least once).
 */
public final class DeadLetters implements AutoCloseable {
  public static final String STAGE = "archive";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final TopicDescriptor<byte[], DeadLetter> topic = Topics.dlq(STAGE);
  private final KafkaProducer<byte[], byte[]> producer;
  private final Clock clock;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public DeadLetters(String bootstrap, Clock clock) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "streamsight-archive-dlq");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
    this.clock = clock;
  }

  public void send(ConsumerRecord<byte[], byte[]> r, Exception why) {
    LOG.warn(
        "dead-lettering {}-{}@{} to {}: {}",
        r.topic(),
        r.partition(),
        r.offset(),
        topic.name(),
        why.getMessage());
    DeadLetter dl =
        DeadLetter.newBuilder()
            .setStage(STAGE)
            .setTopic(r.topic())
            .setPartition(r.partition())
            .setOffset(r.offset())
            .setOriginalKey(r.key() == null ? null : ByteBuffer.wrap(r.key()))
            .setOriginalValue(r.value() == null ? null : ByteBuffer.wrap(r.value()))
            .setErrorClass(why.getClass().getName())
            .setErrorMessage(String.valueOf(why.getMessage()))
            .setTimeMicros(clock.millis() * 1000)
            .build();
    byte[] value = topic.valueSerde().serializer().serialize(topic.name(), dl);
    producer.send(
        new ProducerRecord<>(topic.name(), r.key(), value),
        (md, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
  }

  /** Waits until every dead letter sent so far is acknowledged; fails if one was not. */
  public void flush() {
    producer.flush();
    Exception e = failure.get();
    if (e != null) {
      throw new ArchiveException("cannot write to " + topic.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
