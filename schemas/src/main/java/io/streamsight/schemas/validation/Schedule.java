package io.streamsight.schemas.validation;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rule's active hours ({@code AlertRule.schedule}): outside them no alert event starts. Grammar,
 * clauses separated by {@code ;}, an optional time zone at the very end (default UTC):
 *
 * <pre>
 *   schedule := clause (';' clause)* [zone]
 *   clause   := [days] range (',' range)*
 *   days     := day ['-' day] (',' day ['-' day])*  |  'daily'     (default: every day)
 *   day      := Mon | Tue | Wed | Thu | Fri | Sat | Sun
 *   range    := HH:MM '-' HH:MM                                     (end 24:00 allowed)
 * </pre>
 *
 * Examples: {@code Mon-Fri 18:00-07:00 Europe/Berlin}, {@code Sat,Sun 00:00-24:00; Mon-Fri
 * 20:00-06:00 America/New_York}, {@code 22:00-06:00}. A range whose end is not after its start runs
 * past midnight into the next day, and belongs to the day it starts on (Fri 18:00-07:00 covers
 * Saturday morning). Times are wall-clock times in the zone, so daylight saving moves them with the
 * clocks.
 *
 * <p>Parsed once ({@link #parse}); a bad schedule is an {@link InvalidRecordException} naming what
 * is wrong, so the CLI and the operator refuse the rule at the boundary. Immutable and small (a
 * zone id and a few ints per clause).
 */
public final class Schedule implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int MAX_LENGTH = 200;

  /** One clause: the days a range may start on (bit 0 = Monday) and its minutes of the day. */
  private record Range(int days, int startMinute, int endMinute) implements Serializable {
    boolean overnight() {
      return endMinute <= startMinute;
    }
  }

  private final String text;
  private final ZoneId zone;
  private final List<Range> ranges;

  private Schedule(String text, ZoneId zone, List<Range> ranges) {
    this.text = text;
    this.zone = zone;
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Parses {@code text} (the field name {@code field} goes into errors).
   *
   * @throws InvalidRecordException naming the part that is wrong
   */
  public static Schedule parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRecordException(field, "schedule is empty (leave it unset for always)");
    }
    if (text.length() > MAX_LENGTH) {
      throw new InvalidRecordException(
          field, "schedule is " + text.length() + " characters long (at most " + MAX_LENGTH + ")");
    }
    String[] clauses = text.trim().split("\\s*;\\s*");
    ZoneId zone = ZoneId.of("UTC");
    List<Range> ranges = new ArrayList<>();
    for (int c = 0; c < clauses.length; c++) {
      List<String> tokens = new ArrayList<>(List.of(clauses[c].trim().split("\\s+")));
      boolean last = c == clauses.length - 1;
      if (last && tokens.size() > 1 && !tokens.get(tokens.size() - 1).contains(":")) {
        zone = zone(field, tokens.remove(tokens.size() - 1));
      }
      int days = 0x7f;
      if (tokens.size() == 2) {
        days = days(field, tokens.get(0));
      } else if (tokens.size() != 1 || tokens.get(0).isEmpty()) {
        throw new InvalidRecordException(
            field,
            "clause '"
                + Printable.of(clauses[c])
                + "' is not '[days] HH:MM-HH:MM' (a time zone may only end the schedule)");
      }
      for (String r : tokens.get(tokens.size() - 1).split(",")) {
        ranges.add(range(field, r, days));
      }
    }
    return new Schedule(text, zone, ranges);
  }

  /** True when an event may start at {@code epochMicros}. */
  public boolean activeAt(long epochMicros) {
    ZonedDateTime t = Instant.EPOCH.plusNanos(Math.multiplyExact(epochMicros, 1000)).atZone(zone);
    int day = t.getDayOfWeek().getValue() - 1; // Monday = 0
    int yesterday = (day + 6) % 7;
    int minute = t.getHour() * 60 + t.getMinute();
    for (Range r : ranges) {
      boolean today = (r.days & (1 << day)) != 0;
      if (!r.overnight()) {
        if (today && minute >= r.startMinute && minute < r.endMinute) {
          return true;
        }
      } else if ((today && minute >= r.startMinute)
          || ((r.days & (1 << yesterday)) != 0 && minute < r.endMinute)) {
        return true;
      }
    }
    return false;
  }

  /** The text it was parsed from. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  private static ZoneId zone(String field, String z) {
    try {
      return ZoneId.of(z);
    } catch (DateTimeException e) {
      throw new InvalidRecordException(
          field, "unknown time zone '" + Printable.of(z) + "' (e.g. Europe/Berlin, UTC)");
    }
  }

  private static int days(String field, String spec) {
    if (spec.equalsIgnoreCase("daily")) {
      return 0x7f;
    }
    int days = 0;
    for (String part : spec.split(",")) {
      String[] ends = part.split("-", -1);
      if (ends.length > 2) {
        throw new InvalidRecordException(
            field, "days '" + Printable.of(part) + "' are not 'Mon' or 'Mon-Fri'");
      }
      int from = day(field, ends[0]);
      int to = ends.length == 2 ? day(field, ends[1]) : from;
      for (int d = from; ; d = (d + 1) % 7) { // Fri-Mon wraps over the weekend
        days |= 1 << d;
        if (d == to) {
          break;
        }
      }
    }
    return days;
  }

  private static int day(String field, String name) {
    for (DayOfWeek d : DayOfWeek.values()) {
      String abbrev = d.name().substring(0, 3);
      if (abbrev.equalsIgnoreCase(name)) {
        return d.getValue() - 1;
      }
    }
    throw new InvalidRecordException(
        field, "unknown day '" + Printable.of(name) + "' (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
  }

  private static Range range(String field, String r, int days) {
    String[] ends = r.split("-", -1);
    if (ends.length != 2) {
      throw new InvalidRecordException(
          field, "time range '" + Printable.of(r) + "' is not HH:MM-HH:MM");
    }
    int start = minute(field, ends[0], false);
    int end = minute(field, ends[1], true);
    if (start == end) {
      throw new InvalidRecordException(
          field, "time range '" + r + "' is empty (for the whole day write 00:00-24:00)");
    }
    return new Range(days, start, end);
  }

  private static int minute(String field, String hhmm, boolean end) {
    String s = hhmm.trim().toLowerCase(Locale.ROOT);
    if (!s.matches("\\d{1,2}:\\d{2}")) {
      throw new InvalidRecordException(field, "time '" + Printable.of(hhmm) + "' is not HH:MM");
    }
    int h = Integer.parseInt(s.substring(0, s.indexOf(':')));
    int m = Integer.parseInt(s.substring(s.indexOf(':') + 1));
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
      throw new InvalidRecordException(
          field, "time '" + hhmm + "' is not a time of day (00:00 to 23:59, or 24:00 as an end)");
    }
    return h * 60 + m;
  }
}
