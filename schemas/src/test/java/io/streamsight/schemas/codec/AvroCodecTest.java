package io.streamsight.schemas.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.SampleRecords;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.codec.RecordDecodeException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyRecordRoundTripsThroughSingleObjectEncoding() {
    for (SpecificRecord r : SampleRecords.all()) {
      AvroCodec codec = AvroCodec.of(r.getClass());
      byte[] bytes = codec.encode(r);
      assertEquals((byte) 0xC3, bytes[0], "single-object marker");
      assertEquals((byte) 0x01, bytes[1], "single-object marker");
      assertEquals(r, codec.decode("t", bytes), r.getSchema().getName());
    }
  }

  @Test
  void kafkaSerdeKeepsPayloadBytesAndTombstones() {
    byte[] jpeg = new byte[100_000];
    new java.util.Random(1).nextBytes(jpeg);
    AvroSerde<Frame> serde = new AvroSerde<>(Frame.class);
    Frame back =
        serde.deserialize("cameras.frames", serde.serialize("x", SampleRecords.frame(jpeg)));
    assertArrayEquals(jpeg, back.getJpeg().array());
    assertEquals(null, serde.serialize("x", null));
    assertEquals(null, serde.deserialize("x", null));
  }

  @Test
  void garbageIsABadHeaderNamingTheTopic() {
    RecordDecodeException e =
        assertThrows(
            RecordDecodeException.class,
            () -> AvroCodec.of(Frame.class).decode("cameras.frames", new byte[] {1, 2, 3, 4}));
    assertEquals(Reason.BAD_HEADER, e.reason());
    assertTrue(e.getMessage().contains("cameras.frames"), e.getMessage());
  }

  @Test
  void emptyValueIsRejected() {
    assertEquals(
        Reason.EMPTY,
        assertThrows(
                RecordDecodeException.class,
                () -> AvroCodec.of(Frame.class).decode("cameras.frames", new byte[0]))
            .reason());
  }

  @Test
  void truncatedBodyIsCorruptWithPositionAddedByCaller() {
    byte[] ok = AvroCodec.of(Frame.class).encode(SampleRecords.frame(new byte[1000]));
    byte[] cut = Arrays.copyOf(ok, ok.length / 2);
    RecordDecodeException e =
        assertThrows(
            RecordDecodeException.class,
            () -> AvroCodec.of(Frame.class).decode("cameras.frames", cut));
    assertEquals(Reason.CORRUPT_BODY, e.reason());
    RecordDecodeException placed = e.at(3, 1234L);
    assertTrue(placed.getMessage().contains("partition 3 offset 1234"), placed.getMessage());
  }

  @Test
  void recordOfAnotherSchemaHasUnknownFingerprint() {
    byte[] rule = AvroCodec.of(AlertRule.class).encode((AlertRule) SampleRecords.all().get(3));
    RecordDecodeException e =
        assertThrows(
            RecordDecodeException.class, () -> AvroCodec.of(Frame.class).decode("t", rule));
    assertEquals(Reason.UNKNOWN_FINGERPRINT, e.reason());
  }

  @Test
  void olderWriterSchemaResolvesByFingerprint() {
    // An "earlier" AlertRule without the fields added later (they have defaults).
    Schema old =
        SchemaBuilder.record("AlertRule")
            .namespace("io.streamsight.schemas.avro")
            .fields()
            .requiredString("id")
            .requiredString("cameraGlob")
            .requiredString("question")
            .endRecord();
    GenericRecord r = new GenericData.Record(old);
    r.put("id", "r1");
    r.put("cameraGlob", "cam-*");
    r.put("question", "Is it raining?");
    ByteBuffer bytes = encodeGeneric(old, r);

    AvroCodec<AlertRule> codec = new AvroCodec<>(AlertRule.class, List.of(old));
    AlertRule back = codec.decode("vlm.rules", toArray(bytes));
    assertEquals("r1", back.getId());
    assertEquals(0.5, back.getThreshold());
    assertTrue(back.getEnabled());

    RecordDecodeException unknown =
        assertThrows(
            RecordDecodeException.class,
            () -> AvroCodec.of(AlertRule.class).decode("vlm.rules", toArray(bytes)));
    assertEquals(Reason.UNKNOWN_FINGERPRINT, unknown.reason());
  }

  private static ByteBuffer encodeGeneric(Schema schema, GenericRecord r) {
    try {
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(r);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
