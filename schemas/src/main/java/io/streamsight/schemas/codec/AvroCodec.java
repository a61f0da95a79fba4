package io.streamsight.schemas.codec;

import io.streamsight.schemas.codec.RecordDecodeException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (2-byte marker, 8-byte schema fingerprint, body) for one specific
 * record class. Thread-safe: Avro's message encoder and decoder keep per-thread buffers.
 *
 * <p>The decoder knows the current schema and every schema in {@link SchemaHistory}, so records
 * from older writers resolve to the current class; any other fingerprint is a typed {@link
 * RecordDecodeException}. Every declared length is checked against the bytes that follow before
 * Avro allocates it ({@link LengthGuard}).
 */
public final class AvroCodec<T extends SpecificRecord> {
  static {
    // Before this class decodes anything: Avro reads its limits once, at first use.
    AvroLimits.install();
  }

  private static final Map<Class<?>, AvroCodec<?>> CACHE = new ConcurrentHashMap<>();

  private final Class<T> type;
  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final LengthGuard guard;

  private AvroCodec(Class<T> type) {
    this(type, SchemaHistory.versions(SpecificData.get().getSchema(type).getName()));
  }

  /** A codec that also resolves the given older writer schemas (tests use this directly). */
  AvroCodec(Class<T> type, List<Schema> olderWriters) {
    this.type = type;
    this.schema = SpecificData.get().getSchema(type);
    SpecificData model = new SpecificData(type.getClassLoader());
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    for (Schema old : olderWriters) {
      decoder.addSchema(old);
    }
    List<Schema> writers = new ArrayList<>(olderWriters);
    writers.add(schema);
    this.guard = new LengthGuard(writers);
  }

  /** The shared codec for a record class (building one parses its history, so reuse it). */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return (AvroCodec<T>) CACHE.computeIfAbsent(type, t -> new AvroCodec<>(type));
  }

  public Class<T> type() {
    return type;
  }

  public Schema schema() {
    return schema;
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buf = encoder.encode(record);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException | AvroRuntimeException | NullPointerException e) {
      // A null in a non-null field surfaces as NPE from the datum writer; name the record.
      throw new IllegalArgumentException(
          "Cannot encode " + schema.getName() + ": " + e.getMessage(), e);
    }
  }

  /** Decodes bytes read from {@code topic}; the position is unknown here (-1). */
  public T decode(String topic, byte[] data) {
    return decode(topic, -1, -1L, data);
  }

  public T decode(String topic, int partition, long offset, byte[] data) {
    if (data == null || data.length == 0) {
      throw new RecordDecodeException(
          topic, partition, offset, Reason.EMPTY, "no bytes for a " + schema.getName(), null);
    }
    guard.check(topic, partition, offset, data);
    try {
      return decoder.decode(data);
    } catch (BadHeaderException e) {
      throw new RecordDecodeException(
          topic,
          partition,
          offset,
          Reason.BAD_HEADER,
          "not Avro single-object encoding: " + e.getMessage(),
          e);
    } catch (MissingSchemaException e) {
      throw new RecordDecodeException(
          topic,
          partition,
          offset,
          Reason.UNKNOWN_FINGERPRINT,
          "writer schema unknown to " + schema.getName() + " reader: " + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new RecordDecodeException(
          topic,
          partition,
          offset,
          Reason.CORRUPT_BODY,
          "corrupt " + schema.getName() + " body (" + data.length + " bytes): " + e,
          e);
    }
  }
}
