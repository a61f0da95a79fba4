package io.streamsight.schemas.codec;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes could not be decoded. Never retriable: the same bytes fail the same way, so
 * stages route the record to {@code dlq.<stage>} with {@link #getMessage()} as the reason.
 *
 * <p>Extends Kafka's {@link SerializationException} so Kafka Streams' deserialization handlers and
 * consumers treat it as a poison record, not as a broker failure.
 */
public final class RecordDecodeException extends SerializationException {
  /** Why decoding failed. */
  public enum Reason {
    EMPTY,
    BAD_HEADER,
    UNKNOWN_FINGERPRINT,
    /** Includes declared lengths beyond the bytes that follow (truncation or a length bomb). */
    CORRUPT_BODY
  }

  private final String topic;
  private final int partition;
  private final long offset;
  private final Reason reason;
  private final String detail;

  public RecordDecodeException(
      String topic, int partition, long offset, Reason reason, String detail, Throwable cause) {
    super(format(topic, partition, offset, reason, detail), cause);
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.reason = reason;
    this.detail = detail;
  }

  /** Same failure, now with the position the caller knows (deserializers only see the topic). */
  public RecordDecodeException at(int partition, long offset) {
    return new RecordDecodeException(topic, partition, offset, reason, detail, getCause());
  }

  private static String format(
      String topic, int partition, long offset, Reason reason, String detail) {
    String where =
        partition < 0
            ? "topic " + topic
            : "topic " + topic + " partition " + partition + " offset " + offset;
    return "Cannot decode record on " + where + ": " + reason + " (" + detail + ")";
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  public Reason reason() {
    return reason;
  }
}
