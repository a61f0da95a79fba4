package io.streamsight.schemas.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration format of every config file: {@code 0}, or a whole number with a unit {@code
 * ms}, {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}). No
 * fractions and no bare numbers other than 0: {@code 5} could mean seconds or milliseconds, and a
 * config that guesses wrong is worse than one that refuses.
 */
public final class Durations {
  /** What the docs and error messages say a duration may be. */
  public static final String FORMAT = "a duration: 0 or a whole number with ms, s, m or h (10s)";

  private static final Pattern TEXT = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException if {@code text} is not in the format above
   */
  public static Duration parse(String text) {
    String t = text.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = TEXT.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not " + FORMAT);
    }
    long n = Long.parseLong(m.group(1));
    try {
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration");
    }
  }

  /** The shortest text {@link #parse} reads back as {@code d} (whole milliseconds or more). */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString(); // not writable in the format; say exactly what it is
    }
    long s = d.getSeconds();
    int ms = d.getNano() / 1_000_000;
    if (ms != 0) {
      return (s * 1000 + ms) + "ms";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
