package io.streamsight.schemas.codec;

import java.util.Properties;
import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro's own ceilings on declared lengths ({@code org.apache.avro.limits.*}, read once when Avro's
 * {@link SystemLimitException} class initialises). Without them a 20-byte record declaring a 1 GB
 * string makes Avro allocate the 1 GB before it notices the bytes are missing. {@link LengthGuard}
 * is the real defence (it bounds every length by the bytes that follow); these are a backstop for
 * any Avro decoding that does not go through it.
 *
 * <p>Values a user set (as {@code -D} system properties) are kept.
 */
public final class AvroLimits {
  private static final Logger LOG = LoggerFactory.getLogger(AvroLimits.class);

  /**
   * The largest bytes field: a keyframe JPEG is a few hundred KB, a 4K frame a few MB, and Kafka's
   * default message size is 1 MB; 64 MiB leaves room for raised broker limits.
   */
  public static final int MAX_BYTES = 64 << 20;

  /** The largest string: ours are ids, questions, model text and error messages. */
  public static final int MAX_STRING = 16 << 20;

  /** The most items in one array or map: ours hold 24 histogram bins or a window's frame refs. */
  public static final int MAX_COLLECTION_ITEMS = 1 << 20;

  private static volatile boolean installed;

  private AvroLimits() {}

  /** Sets the limits this JVM does not set yet; idempotent; call before any Avro decoding. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    boolean ours =
        !System.getProperties().containsKey(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY);
    install(System.getProperties());
    // Avro reads the properties once, when SystemLimitException initialises; if some code decoded
    // Avro before us, our values did not take (LengthGuard still bounds every length).
    if (ours && !enforced(MAX_BYTES)) {
      LOG.warn(
          "Avro's length limits were fixed before Streamsight could set them (Avro decoded"
              + " something first); declared lengths are still bounded by the record size");
    }
  }

  /** Puts each limit into {@code props} unless it is there already. */
  static void install(Properties props) {
    props.putIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, Integer.toString(MAX_BYTES));
    props.putIfAbsent(
        SystemLimitException.MAX_STRING_LENGTH_PROPERTY, Integer.toString(MAX_STRING));
    props.putIfAbsent(
        SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY,
        Integer.toString(MAX_COLLECTION_ITEMS));
  }

  /** Whether Avro refuses a bytes length just above {@code limit}. */
  static boolean enforced(int limit) {
    try {
      SystemLimitException.checkMaxBytesLength(limit + 1L);
      return false;
    } catch (SystemLimitException e) {
      return true;
    }
  }
}
