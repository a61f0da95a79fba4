package io.streamsight.sampler;

import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.codec.LengthGuard;
import io.streamsight.schemas.codec.RecordDecodeException;
import io.streamsight.schemas.codec.RecordDecodeException.Reason;
import io.streamsight.schemas.codec.SchemaHistory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;

/**
 * Decodes a Frame's single-object bytes with a reader schema that leaves out {@code jpeg}: Avro's
 * schema resolution then skips the image bytes rather than allocating and copying them (a 100 KB
 * frame costs the decision a few hundred bytes of work). Declared lengths are bounded by the bytes
 * that follow ({@link LengthGuard}) before Avro allocates anything. Thread-safe.
 */
public final class FrameHeaderDecoder {
  /** The projection: Frame's full name, so every Frame writer schema resolves against it. */
  static final Schema PROJECTION = projection();

  private final BinaryMessageDecoder<GenericRecord> decoder;
  private final LengthGuard guard;

  public FrameHeaderDecoder() {
    this(List.of());
  }

  /** Also resolves {@code extraWriters} (tests use it for writer shapes we do not ship). */
  FrameHeaderDecoder(List<Schema> extraWriters) {
    List<Schema> writers = new ArrayList<>(SchemaHistory.versions("Frame"));
    writers.add(Frame.getClassSchema());
    writers.addAll(extraWriters);
    decoder = new BinaryMessageDecoder<>(GenericData.get(), PROJECTION);
    writers.forEach(decoder::addSchema);
    guard = new LengthGuard(writers);
  }

  private static Schema projection() {
    Schema features = Frame.getClassSchema().getField("features").schema();
    return SchemaBuilder.record("Frame")
        .namespace("io.streamsight.schemas.avro")
        .fields()
        .requiredString("cameraId")
        .requiredString("ingestSessionId")
        .requiredLong("sequence")
        .requiredLong("captureTimeMicros")
        .name("features")
        .type(features)
        .noDefault()
        .endRecord();
  }

  public FrameHeader decode(String topic, int partition, long offset, byte[] value) {
    if (value == null || value.length == 0) {
      throw new RecordDecodeException(topic, partition, offset, Reason.EMPTY, "no bytes", null);
    }
    guard.check(topic, partition, offset, value);
    GenericRecord r;
    try {
      r = decoder.decode(value);
    } catch (BadHeaderException e) {
      throw new RecordDecodeException(
          topic, partition, offset, Reason.BAD_HEADER, e.getMessage(), e);
    } catch (MissingSchemaException e) {
      throw new RecordDecodeException(
          topic, partition, offset, Reason.UNKNOWN_FINGERPRINT, e.getMessage(), e);
    } catch (java.io.IOException | RuntimeException e) {
      throw new RecordDecodeException(
          topic, partition, offset, Reason.CORRUPT_BODY, "corrupt Frame: " + e, e);
    }
    GenericRecord f = (GenericRecord) r.get("features");
    ByteBuffer thumb = (ByteBuffer) f.get("thumbnail");
    @SuppressWarnings("unchecked")
    List<Float> hist = (List<Float>) f.get("colorHistogram");
    if (thumb.remaining() != 64 || hist.size() != 24) {
      throw new RecordDecodeException(
          topic,
          partition,
          offset,
          Reason.CORRUPT_BODY,
          "features need a 64-byte thumbnail and 24 histogram bins, got "
              + thumb.remaining()
              + " and "
              + hist.size(),
          null);
    }
    byte[] t = new byte[64];
    thumb.duplicate().get(t);
    float[] h = new float[24];
    for (int i = 0; i < 24; i++) {
      h[i] = hist.get(i);
    }
    return new FrameHeader(
        r.get("cameraId").toString(),
        r.get("ingestSessionId").toString(),
        (Long) r.get("sequence"),
        (Long) r.get("captureTimeMicros"),
        (Long) f.get("dhash"),
        t,
        h);
  }
}
