package io.streamsight.archive;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Archive settings, declared once (key, default, doc) and parsed at start into this immutable
 * record; a bad value fails naming its key.
 *
 * @param retain documents whose window ended longer ago are deleted (with their thumbnails)
 * @param maxDiskBytes index plus thumbnails are kept under this by deleting the oldest windows
 * @param commitEveryRecords commit the index (and the offsets with it) after this many records...
 * @param commitInterval ...or after this long, whichever comes first
 */
public record ArchiveConfig(
    String bootstrap,
    Path dir,
    Duration retain,
    long maxDiskBytes,
    int commitEveryRecords,
    Duration commitInterval,
    Duration retentionInterval,
    int thumbnailEdge,
    long maxImagePixels,
    int maxEvidenceThumbnails,
    Duration keyframeTimeout,
    int embedThreads,
    Clock clock) {

  /** A setting: name, default and what it does. */
  public record Key(String name, String defaultValue, String doc) {}

  public static final Key BOOTSTRAP = new Key("bootstrap", null, "Kafka bootstrap, host:port.");
  public static final Key DIR = new Key("dir", null, "Archive directory (index + thumbnails).");
  public static final Key RETAIN =
      new Key("retain", "30d", "Delete windows that ended longer ago (e.g. 30d, 12h).");
  public static final Key MAX_DISK =
      new Key("max-disk", "5g", "Disk budget for index + thumbnails (e.g. 5g, 500m).");
  public static final Key COMMIT_EVERY =
      new Key("commit-every", "2000", "Commit the index after this many records.");
  public static final Key COMMIT_INTERVAL =
      new Key("commit-interval", "5s", "... or after this long, whichever comes first.");
  public static final Key RETENTION_INTERVAL =
      new Key("retention-interval", "60s", "How often retention and the disk budget are enforced.");
  public static final Key THUMBNAIL_EDGE =
      new Key("thumbnail-edge", "320", "Longest edge of kept thumbnails, pixels.");
  public static final Key MAX_IMAGE_PIXELS =
      new Key("max-image-pixels", "16000000", "Keyframes above this many pixels are not decoded.");
  public static final Key MAX_EVIDENCE =
      new Key("max-evidence", "8", "Thumbnails kept per alert (its first evidence keyframes).");
  public static final Key KEYFRAME_TIMEOUT =
      new Key("keyframe-timeout", "2s", "How long to wait for one keyframe from the topic.");
  public static final Key EMBED_THREADS =
      new Key("embed-threads", "0", "ONNX Runtime threads for embeddings (0 = one per core).");

  public static final List<Key> KEYS =
      List.of(
          BOOTSTRAP,
          DIR,
          RETAIN,
          MAX_DISK,
          COMMIT_EVERY,
          COMMIT_INTERVAL,
          RETENTION_INTERVAL,
          THUMBNAIL_EDGE,
          MAX_IMAGE_PIXELS,
          MAX_EVIDENCE,
          KEYFRAME_TIMEOUT,
          EMBED_THREADS);

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)b?");

  public ArchiveConfig {
    if (dir == null) {
      throw new IllegalArgumentException(DIR.name() + " is required");
    }
    if (clock == null) {
      clock = Clock.systemUTC();
    }
  }

  /** Parses settings by key name; unknown keys and bad values fail naming the key. */
  public static ArchiveConfig parse(Map<String, String> values) {
    Map<String, String> v = new LinkedHashMap<>();
    for (Key k : KEYS) {
      if (k.defaultValue() != null) {
        v.put(k.name(), k.defaultValue());
      }
    }
    values.forEach(
        (name, value) -> {
          if (KEYS.stream().noneMatch(k -> k.name().equals(name))) {
            throw new IllegalArgumentException("unknown archive setting '" + name + "'");
          }
          if (value != null) {
            v.put(name, value);
          }
        });
    String dir = v.get(DIR.name());
    return new ArchiveConfig(
        v.get(BOOTSTRAP.name()),
        dir == null ? null : Path.of(dir),
        duration(RETAIN, v),
        bytes(MAX_DISK, v),
        (int) positive(COMMIT_EVERY, v, 1_000_000),
        duration(COMMIT_INTERVAL, v),
        duration(RETENTION_INTERVAL, v),
        (int) range(THUMBNAIL_EDGE, v, 16, 4096),
        range(MAX_IMAGE_PIXELS, v, 1, 100_000_000),
        (int) range(MAX_EVIDENCE, v, 0, 64),
        duration(KEYFRAME_TIMEOUT, v),
        (int) range(EMBED_THREADS, v, 0, 256),
        null);
  }

  public ArchiveConfig withClock(Clock c) {
    return new ArchiveConfig(
        bootstrap,
        dir,
        retain,
        maxDiskBytes,
        commitEveryRecords,
        commitInterval,
        retentionInterval,
        thumbnailEdge,
        maxImagePixels,
        maxEvidenceThumbnails,
        keyframeTimeout,
        embedThreads,
        c);
  }

  /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 10s}, {@code 250ms}, or ISO-8601. */
  public static Duration parseDuration(String key, String s) {
    Matcher m = DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(s.trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          key + ": '" + s + "' is not a duration (e.g. 30d, 12h, 90m, 10s, 250ms)");
    }
  }

  /** {@code 5g}, {@code 500m}, {@code 64k}, {@code 1t}, or plain bytes (binary multiples). */
  public static long parseBytes(String key, String s) {
    Matcher m = SIZE.matcher(s.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          key + ": '" + s + "' is not a size (e.g. 5g, 500m, 64k or bytes)");
    }
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    long n = Long.parseLong(m.group(1));
    if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException(key + ": '" + s + "' is out of range");
    }
    return n << shift;
  }

  private static Duration duration(Key k, Map<String, String> v) {
    Duration d = parseDuration(k.name(), v.get(k.name()));
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(k.name() + ": must be positive, was " + v.get(k.name()));
    }
    return d;
  }

  private static long bytes(Key k, Map<String, String> v) {
    return parseBytes(k.name(), v.get(k.name()));
  }

  private static long positive(Key k, Map<String, String> v, long max) {
    return range(k, v, 1, max);
  }

  private static long range(Key k, Map<String, String> v, long min, long max) {
    String s = v.get(k.name());
    long n;
    try {
      n = Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(k.name() + ": '" + s + "' is not a whole number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          k.name() + ": must be " + min + " to " + max + ", was " + n);
    }
    return n;
  }
}
