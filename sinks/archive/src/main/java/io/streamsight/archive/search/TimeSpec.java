package io.streamsight.archive.search;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points in time as users type them: ISO-8601 ({@code 2026-11-20T08:00:00Z}, with an offset, a
 * local date-time or a date, both in the given zone), relative to now ({@code -24h}, {@code -30m},
 * {@code -7d}, {@code -90s}) or {@code now}.
 */
public final class TimeSpec {
  private static final Pattern RELATIVE = Pattern.compile("-(\\d+)(s|m|h|d|w)");

  private TimeSpec() {}

  /** Epoch microseconds of {@code spec}; an unreadable value names the accepted forms. */
  public static long parseMicros(String spec, Instant now, ZoneId zone) {
    Instant t = parse(spec.trim(), now, zone);
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  private static Instant parse(String s, Instant now, ZoneId zone) {
    if (s.equalsIgnoreCase("now")) {
      return now;
    }
    Matcher m = RELATIVE.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return now.minus(d);
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(s).atZone(zone).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return LocalDate.parse(s).atStartOfDay(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + s
              + "' is not a time (use ISO-8601 like 2026-11-20T08:00:00Z or 2026-11-20, relative"
              + " like -24h, -30m, -7d, or now)");
    }
  }
}
