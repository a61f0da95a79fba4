package io.streamsight.sampler;

import io.streamsight.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the sampler's producer cannot write because it is too large (for {@code
 * max.request.size}, or a topic configured smaller than its descriptor declares) would otherwise
 * fail the stream thread, which restarts, reads the same frame and fails again, forever. This
 * handler notes the refused write in the app's {@link OversizedRecords} and answers FAIL: nothing
 * of the transaction commits, the thread is replaced once, and the replay writes a dead letter
 * (truncated to fit, with the reason) in place of the refused record; processing goes on.
 *
 * <p>It runs on the producer's I/O thread, so it only touches memory: no second producer, no
 * blocking send (the dead letter goes through the topology's own sink, exactly-once). Every other
 * production error fails as by default.
 */
public final class OversizedRecordHandler implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(OversizedRecordHandler.class);

  private final String keyframes = Topics.KEYFRAMES.name();
  private final String dlq = Topics.dlq(OversizedRecords.STAGE).name();
  private OversizedRecords oversized;

  @Override
  public void configure(Map<String, ?> configs) {
    Object o = configs.get(OversizedRecords.CONFIG_KEY);
    if (!(o instanceof OversizedRecords records)) {
      throw new IllegalStateException(
          OversizedRecordHandler.class.getSimpleName()
              + " needs the OversizedRecords its topology reads, under "
              + OversizedRecords.CONFIG_KEY
              + " (SamplerTopology.streamsConfig puts it there; SamplerApp wires both)");
    }
    this.oversized = records;
  }

  @Override
  public ProductionExceptionHandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (!OversizedRecords.causedByRecordTooLarge(exception)) {
      return ProductionExceptionHandlerResponse.FAIL;
    }
    if (!(exception instanceof RecordTooLargeException) || !oversized.attribute(exception)) {
      // A later write of a transaction already failed by the refused one (the producer hands its
      // "last error" on, as is or wrapped): it aborts with the transaction and is replayed.
      return ProductionExceptionHandlerResponse.CONTINUE;
    }
    String topic = record.topic();
    // Not context.offset(): that is the task's record when the write failed, often a later one.
    Header h = record.headers().lastHeader(OversizedRecords.SOURCE_HEADER);
    if (h == null || !(topic.equals(keyframes) || topic.equals(dlq))) {
      LOG.error("a write to {} without a source frame was refused as too large", topic, exception);
      return ProductionExceptionHandlerResponse.FAIL;
    }
    String source = new String(h.value(), StandardCharsets.UTF_8);
    int size = record.value() == null ? 0 : record.value().length;
    if (!oversized.refuse(source, topic, size, exception.getMessage())) {
      LOG.error(
          "the dead letter of {} was refused as too large even cut to {} bytes; failing",
          source,
          OversizedRecords.SECOND_TRY_BYTES,
          exception);
      return ProductionExceptionHandlerResponse.FAIL;
    }
    LOG.warn(
        "a {}-byte record for {} from {} was refused as too large ({}): its transaction aborts and"
            + " the replay dead-letters it to {}",
        size,
        topic,
        source,
        exception.getMessage(),
        dlq);
    // FAIL, not CONTINUE: nothing of this transaction may commit (under at-least-once CONTINUE
    // would commit past the record, and it would disappear); the replay dead-letters it.
    return ProductionExceptionHandlerResponse.FAIL;
  }
}
