package io.streamsight.schemas.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.SampleRecords;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.codec.RecordDecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Records of a few dozen bytes whose string, bytes, array or map declares about 1 GB. Each must be
 * a {@link RecordDecodeException} naming the field and the length, and decoding it must not
 * allocate anything near the declared size (measured on this thread).
 */
@Timeout(30)
class LengthBombTest {
  private static final long GIGABYTE = 1L << 30;

  /** Far below 1 GB and far above what decoding a 100-byte record needs. */
  private static final long ALLOCATION_BUDGET = 16L << 20;

  /** Frame as written by a producer with one more field, a map (our schemas have no maps). */
  private static final Schema FRAME_WITH_TAGS = withTags(Frame.getClassSchema());

  private final AvroCodec<Frame> codec = new AvroCodec<>(Frame.class, List.of(FRAME_WITH_TAGS));

  @Test
  void bytesFieldDeclaringAGigabyteIsCorrupt() throws IOException {
    Body b = frameUpToJpeg(Frame.getClassSchema());
    b.enc.writeLong(GIGABYTE); // jpeg length, and nothing follows
    assertBomb(b.bytes(), "Frame.jpeg", "bytes declares 1073741824");
  }

  @Test
  void lengthsUnderAvrosOwnLimitAreStillBoundedByTheRecord() throws IOException {
    // 32 MiB passes Avro's 64 MiB backstop; only the bytes that follow can refuse it.
    Body b = frameUpToJpeg(Frame.getClassSchema());
    b.enc.writeLong(32L << 20);
    assertBomb(b.bytes(), "Frame.jpeg", "bytes declares 33554432");
  }

  @Test
  void stringFieldDeclaringAGigabyteIsCorrupt() throws IOException {
    Body b = new Body(Frame.getClassSchema());
    b.enc.writeLong(GIGABYTE); // cameraId length
    b.enc.writeFixed(new byte[] {'c', 'a', 'm'});
    assertBomb(b.bytes(), "Frame.cameraId", "string declares 1073741824");
  }

  @Test
  void arrayDeclaringAGigabyteOfItemsIsCorrupt() throws IOException {
    Body b = frameUpToJpeg(Frame.getClassSchema());
    b.enc.writeBytes(new byte[0]); // jpeg
    b.enc.writeLong(0); // features.dhash
    b.enc.writeBytes(new byte[64]); // features.thumbnail
    b.enc.writeLong(GIGABYTE); // colorHistogram block count
    b.enc.writeFloat(0.5f);
    assertBomb(b.bytes(), "Frame.features.colorHistogram", "array declares 1073741824 items");
  }

  @Test
  void mapDeclaringAGigabyteOfEntriesIsCorrupt() throws IOException {
    Body b = new Body(FRAME_WITH_TAGS);
    writeFrame(b.enc, SampleRecords.frame(new byte[] {1, 2, 3}));
    b.enc.writeLong(GIGABYTE); // tags block count
    assertBomb(b.bytes(), "Frame.tags", "map declares 1073741824 items");
  }

  @Test
  void blockByteSizeBeyondTheRecordIsCorrupt() throws IOException {
    Body b = new Body(FRAME_WITH_TAGS);
    writeFrame(b.enc, SampleRecords.frame(new byte[] {1, 2, 3}));
    b.enc.writeLong(-1); // one entry in a sized block...
    b.enc.writeLong(GIGABYTE); // ...of 1 GB
    assertBomb(b.bytes(), "Frame.tags", "map block declares 1073741824 bytes");
  }

  @Test
  void recordsWrittenWithSizedBlocksStillDecode() throws IOException {
    // Avro's blocking encoder writes arrays as (-count, byteSize, items): the guard must follow.
    Frame f = SampleRecords.frame(new byte[] {1, 2, 3});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header(Frame.getClassSchema()));
    BinaryEncoder enc = EncoderFactory.get().blockingBinaryEncoder(out, null);
    new SpecificDatumWriter<Frame>(Frame.getClassSchema()).write(f, enc);
    enc.flush();
    assertEquals(f, codec.decode("cameras.frames", out.toByteArray()));
  }

  @Test
  void avroLimitsAreSetWithoutOverridingTheUsersValues() {
    Properties p = new Properties();
    p.setProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, "123");
    AvroLimits.install(p);
    assertEquals("123", p.getProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY));
    assertEquals(
        Integer.toString(AvroLimits.MAX_BYTES),
        p.getProperty(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY));
    assertEquals(
        Integer.toString(AvroLimits.MAX_COLLECTION_ITEMS),
        p.getProperty(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY));
    // The codec has been loaded, so the JVM-wide properties are set.
    assertTrue(System.getProperty(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY) != null);
  }

  private void assertBomb(byte[] message, String field, String problem) {
    assertTrue(message.length < 256, message.length + " bytes");
    RecordDecodeException e =
        assertAllocatesLittle(() -> codec.decode("cameras.frames", 2, 77L, message));
    assertEquals(Reason.CORRUPT_BODY, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.getMessage().contains("partition 2 offset 77"), e.getMessage());
  }

  /** Runs {@code decode}, expecting a decode failure, and checks what this thread allocated. */
  static RecordDecodeException assertAllocatesLittle(Executable decode) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    assertThrows(RecordDecodeException.class, decode); // warm-up: classes, caches
    long before = mx.getThreadAllocatedBytes(id);
    RecordDecodeException e = assertThrows(RecordDecodeException.class, decode);
    long allocated = mx.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < ALLOCATION_BUDGET, "decoding allocated " + allocated + " bytes");
    return e;
  }

  private static Body frameUpToJpeg(Schema writer) throws IOException {
    Body b = new Body(writer);
    b.enc.writeString("cam-1");
    b.enc.writeString("s-1");
    b.enc.writeLong(7); // sequence
    b.enc.writeLong(1); // captureTimeMicros
    b.enc.writeLong(1); // ptsMicros
    b.enc.writeInt(640);
    b.enc.writeInt(360);
    return b;
  }

  private static void writeFrame(BinaryEncoder enc, Frame f) throws IOException {
    new SpecificDatumWriter<Frame>(Frame.getClassSchema()).write(f, enc);
  }

  static byte[] header(Schema writer) {
    ByteBuffer h = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    h.put((byte) 0xC3).put((byte) 0x01).putLong(SchemaNormalization.parsingFingerprint64(writer));
    return h.array();
  }

  private static Schema withTags(Schema frame) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : frame.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(new Schema.Field("tags", Schema.createMap(Schema.create(Schema.Type.STRING))));
    return Schema.createRecord(
        frame.getName(), frame.getDoc(), frame.getNamespace(), false, fields);
  }

  /** A single-object message being written by hand. */
  private static final class Body {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);

    Body(Schema writer) throws IOException {
      out.write(header(writer));
    }

    byte[] bytes() throws IOException {
      enc.flush();
      return out.toByteArray();
    }
  }
}
