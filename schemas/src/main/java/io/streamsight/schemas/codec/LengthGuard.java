package io.streamsight.schemas.codec;

import io.streamsight.schemas.codec.RecordDecodeException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Checks every length an Avro single-object message declares (strings, bytes, array and map blocks)
 * against the bytes that actually follow, before Avro decodes it. Avro allocates a declared length
 * first and reads second, so a 20-byte record claiming a 1 GB string would cost 1 GB of heap per
 * attempt: an OutOfMemoryError, a restart and the same record again. Here such a record is a {@link
 * RecordDecodeException} ({@link Reason#CORRUPT_BODY}, naming the field and both lengths) that
 * stages dead-letter. A truncated record fails the same way.
 *
 * <p>The walk follows the writer schema (found by the message's fingerprint) without allocating and
 * skips bytes fields in O(1), so for a Frame it costs a few dozen varint reads. Messages with a bad
 * header or an unknown fingerprint are left to the decoder, which names those problems. Thread-safe
 * (immutable).
 */
public final class LengthGuard {
  static {
    AvroLimits.install();
  }

  /**
   * Items that take no bytes (nulls, empty records) cannot be bounded by the bytes left; no
   * Streamsight schema has such arrays, so a small cap costs nothing and stops a CPU/heap bomb.
   */
  static final int MAX_ZERO_SIZE_ITEMS = 1 << 16;

  /** Nesting deeper than any of our schemas; bounds recursion through recursive schemas. */
  private static final int MAX_DEPTH = 64;

  private static final int HEADER = 10;
  private static final Schema MAP_KEY = Schema.create(Schema.Type.STRING);

  private final Map<Long, Schema> writers = new HashMap<>();
  private final Map<Schema, Integer> minSizes = new IdentityHashMap<>();

  /** A guard knowing these writer schemas (the current one and every kept older version). */
  public LengthGuard(List<Schema> writerSchemas) {
    for (Schema s : writerSchemas) {
      writers.put(SchemaNormalization.parsingFingerprint64(s), s);
      minSize(s);
    }
  }

  /**
   * Throws {@link RecordDecodeException} when a declared length in {@code message} cannot be
   * satisfied by the bytes that follow it.
   */
  public void check(String topic, int partition, long offset, byte[] message) {
    if (message == null
        || message.length < HEADER
        || message[0] != (byte) 0xC3
        || message[1] != (byte) 0x01) {
      return; // the decoder reports these as EMPTY / BAD_HEADER
    }
    long fingerprint = ByteBuffer.wrap(message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Schema writer = writers.get(fingerprint);
    if (writer == null) {
      return; // UNKNOWN_FINGERPRINT, from the decoder
    }
    try {
      new Walk(message, HEADER).value(writer, 0);
    } catch (Problem p) {
      throw new RecordDecodeException(
          topic,
          partition,
          offset,
          Reason.CORRUPT_BODY,
          writer.getName() + p.getMessage() + " (record of " + message.length + " bytes)",
          null);
    }
  }

  /** The fewest bytes a value of {@code s} can take in Avro binary. */
  private int minSize(Schema s) {
    Integer known = minSizes.get(s);
    if (known != null) {
      return known;
    }
    // A recursive schema meets itself while in progress: 0 is a safe lower bound there.
    minSizes.put(s, 0);
    int size =
        switch (s.getType()) {
          case NULL -> 0;
          case BOOLEAN, INT, LONG, ENUM, STRING, BYTES, ARRAY, MAP, UNION -> 1;
          case FLOAT -> 4;
          case DOUBLE -> 8;
          case FIXED -> s.getFixedSize();
          case RECORD -> {
            long sum = 0;
            for (Schema.Field f : s.getFields()) {
              sum += minSize(f.schema());
            }
            yield (int) Math.min(Integer.MAX_VALUE, sum);
          }
        };
    // Walk the element types too, so the walk below only ever reads the cache.
    if (s.getType() == Schema.Type.ARRAY) {
      minSize(s.getElementType());
    } else if (s.getType() == Schema.Type.MAP) {
      minSize(s.getValueType());
    } else if (s.getType() == Schema.Type.UNION) {
      s.getTypes().forEach(this::minSize);
    }
    minSizes.put(s, size);
    return size;
  }

  private int cachedMinSize(Schema s) {
    Integer n = minSizes.get(s);
    return n == null ? 0 : n;
  }

  /**
   * One pass over one message. The field path of a problem is built only when there is one (each
   * level prepends its name as the problem unwinds), so a good message costs no strings.
   */
  private final class Walk {
    private final byte[] b;
    private int pos;

    Walk(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    private int remaining() {
      return b.length - pos;
    }

    void value(Schema s, int depth) {
      if (depth > MAX_DEPTH) {
        throw new Problem("nested deeper than " + MAX_DEPTH);
      }
      switch (s.getType()) {
        case NULL -> {}
        case BOOLEAN -> skip(1);
        case INT, LONG -> varLong();
        case FLOAT -> skip(4);
        case DOUBLE -> skip(8);
        case FIXED -> skip(s.getFixedSize());
        case STRING, BYTES -> {
          long n = varLong();
          String what = s.getType() == Schema.Type.STRING ? "string" : "bytes";
          if (n < 0) {
            throw new Problem(what + " length " + n);
          }
          if (n > remaining()) {
            throw new Problem(what + " declares " + n + " bytes, only " + remaining() + " follow");
          }
          pos += (int) n;
        }
        case ENUM -> index(s.getEnumSymbols().size(), "enum symbol");
        case UNION ->
            value(s.getTypes().get(index(s.getTypes().size(), "union branch")), depth + 1);
        case RECORD -> {
          for (Schema.Field f : s.getFields()) {
            try {
              value(f.schema(), depth + 1);
            } catch (Problem p) {
              throw p.under("." + f.name());
            }
          }
        }
        case ARRAY -> blocks(s.getElementType(), false, depth);
        case MAP -> blocks(s.getValueType(), true, depth);
      }
    }

    /** Array and map bodies: blocks of (count, [byte size], items) ending with count 0. */
    private void blocks(Schema item, boolean map, int depth) {
      String what = map ? "map" : "array";
      int itemMin = cachedMinSize(item) + (map ? 1 : 0); // a map key takes at least its length
      int fixed = map ? -1 : fixedSize(item);
      long items = 0;
      while (true) {
        long count = varLong();
        if (count == 0) {
          return;
        }
        if (count < 0) {
          // A negative count is followed by the block's size in bytes (lets readers skip it).
          count = -count;
          long size = varLong();
          if (size < 0 || size > remaining()) {
            throw new Problem(
                what + " block declares " + size + " bytes, only " + remaining() + " follow");
          }
        }
        items += count;
        boolean tooMany =
            count < 0 // -Long.MIN_VALUE
                || (itemMin == 0 ? items > MAX_ZERO_SIZE_ITEMS : count > remaining() / itemMin);
        if (tooMany) {
          throw new Problem(
              what + " declares " + count + " items, only " + remaining() + " bytes follow");
        }
        if (fixed >= 0) {
          pos += (int) (count * fixed); // fits: count * fixed <= remaining() was checked above
          continue;
        }
        for (long i = 0; i < count; i++) {
          try {
            if (map) {
              value(MAP_KEY, depth + 1);
            }
            value(item, depth + 1);
          } catch (Problem p) {
            throw p.under("[" + i + "]");
          }
        }
      }
    }

    private int index(int size, String what) {
      long i = varLong();
      if (i < 0 || i >= size) {
        throw new Problem(what + " " + i + " of " + size);
      }
      return (int) i;
    }

    private void skip(int n) {
      if (n > remaining()) {
        throw truncated();
      }
      pos += n;
    }

    /** A zig-zag varint (Avro int and long share it; at most 10 bytes). */
    private long varLong() {
      long raw = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= b.length) {
          throw truncated();
        }
        int x = b[pos++] & 0xff;
        raw |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return (raw >>> 1) ^ -(raw & 1);
        }
      }
      throw new Problem("varint longer than 10 bytes");
    }

    private Problem truncated() {
      return new Problem("record ends early (truncated)");
    }
  }

  /** Bytes per item for types of one fixed size (arrays of them are skipped in one step). */
  private static int fixedSize(Schema s) {
    return switch (s.getType()) {
      case NULL -> 0;
      case BOOLEAN -> 1;
      case FLOAT -> 4;
      case DOUBLE -> 8;
      case FIXED -> s.getFixedSize();
      default -> -1;
    };
  }

  /** Control flow inside the walk; never escapes {@link #check}. */
  private static final class Problem extends RuntimeException {
    private final String detail;
    private String path = "";

    Problem(String detail) {
      super(detail, null, false, false);
      this.detail = detail;
    }

    /** The same problem, one level further out. */
    Problem under(String segment) {
      path = segment + path;
      return this;
    }

    @Override
    public String getMessage() {
      return path + ": " + detail;
    }
  }
}
