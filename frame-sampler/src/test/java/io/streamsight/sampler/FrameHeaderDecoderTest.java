package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.codec.RecordDecodeException;
import io.streamsight.schemas.codec.RecordDecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The sampler's header decoder against length bombs: small records whose string, bytes, array or
 * map declares far more than follows. Each is a {@link RecordDecodeException} naming the field, and
 * decoding allocates nothing near the declared size (measured on this thread).
 */
@Timeout(30)
class FrameHeaderDecoderTest {
  private static final long GIGABYTE = 1L << 30;
  private static final long ALLOCATION_BUDGET = 16L << 20;

  /** Frame as written by a producer with one more field, a map (Frame has none). */
  private static final Schema FRAME_WITH_TAGS = withTags(Frame.getClassSchema());

  private final FrameHeaderDecoder decoder = new FrameHeaderDecoder(List.of(FRAME_WITH_TAGS));

  @Test
  void decodesTheHeaderOfAGoodFrame() {
    Frame f = TestFrames.frame("cam-1", "s1", 3, 42L, TestFrames.scene(1));
    FrameHeader h = decoder.decode("cameras.frames", 0, 0, AvroCodec.of(Frame.class).encode(f));
    assertEquals("cam-1", h.cameraId());
    assertEquals(3, h.sequence());
  }

  @Test
  void skippedJpegDeclaringAGigabyteIsCorrupt() throws IOException {
    Body b = upToJpeg(Frame.getClassSchema());
    b.enc.writeLong(GIGABYTE);
    assertBomb(b.bytes(), "Frame.jpeg", "bytes declares 1073741824");
  }

  @Test
  void thumbnailDeclaringAGigabyteIsCorrupt() throws IOException {
    Body b = upToJpeg(Frame.getClassSchema());
    b.enc.writeBytes(new byte[0]);
    b.enc.writeLong(0); // dhash
    b.enc.writeLong(GIGABYTE); // thumbnail length
    assertBomb(b.bytes(), "Frame.features.thumbnail", "bytes declares 1073741824");
  }

  @Test
  void cameraIdDeclaringAGigabyteIsCorrupt() throws IOException {
    Body b = new Body(Frame.getClassSchema());
    b.enc.writeLong(GIGABYTE);
    assertBomb(b.bytes(), "Frame.cameraId", "string declares 1073741824");
  }

  @Test
  void histogramDeclaringAGigabyteOfBinsIsCorrupt() throws IOException {
    Body b = upToJpeg(Frame.getClassSchema());
    b.enc.writeBytes(new byte[0]);
    b.enc.writeLong(0);
    b.enc.writeBytes(new byte[64]);
    b.enc.writeLong(GIGABYTE); // colorHistogram count
    assertBomb(b.bytes(), "Frame.features.colorHistogram", "array declares 1073741824 items");
  }

  @Test
  void mapDeclaringAGigabyteOfEntriesIsCorrupt() throws IOException {
    Body b = new Body(FRAME_WITH_TAGS);
    Frame f = TestFrames.frame("cam-1", "s1", 3, 42L, TestFrames.scene(1));
    new SpecificDatumWriter<Frame>(Frame.getClassSchema()).write(f, b.enc);
    b.enc.writeLong(GIGABYTE); // tags count
    assertBomb(b.bytes(), "Frame.tags", "map declares 1073741824 items");
  }

  private void assertBomb(byte[] message, String field, String problem) {
    RecordDecodeException e =
        assertAllocatesLittle(() -> decoder.decode("cameras.frames", 1, 9L, message));
    assertEquals(Reason.CORRUPT_BODY, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  private static RecordDecodeException assertAllocatesLittle(Executable decode) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    assertThrows(RecordDecodeException.class, decode); // warm-up
    long before = mx.getThreadAllocatedBytes(id);
    RecordDecodeException e = assertThrows(RecordDecodeException.class, decode);
    long allocated = mx.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < ALLOCATION_BUDGET, "decoding allocated " + allocated + " bytes");
    return e;
  }

  private static Body upToJpeg(Schema writer) throws IOException {
    Body b = new Body(writer);
    b.enc.writeString("cam-1");
    b.enc.writeString("s-1");
    b.enc.writeLong(7);
    b.enc.writeLong(1);
    b.enc.writeLong(1);
    b.enc.writeInt(640);
    b.enc.writeInt(360);
    return b;
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

  /** A single-object message written by hand. */
  private static final class Body {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);

    Body(Schema writer) throws IOException {
      ByteBuffer h = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
      h.put((byte) 0xC3).put((byte) 0x01).putLong(SchemaNormalization.parsingFingerprint64(writer));
      out.write(h.array());
    }

    byte[] bytes() throws IOException {
      enc.flush();
      return out.toByteArray();
    }
  }
}
