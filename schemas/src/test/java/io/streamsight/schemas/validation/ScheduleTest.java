package io.streamsight.schemas.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ScheduleTest {
  private static long at(String localDateTime, String zone) {
    return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant().toEpochMilli()
        * 1000;
  }

  @Test
  void anOvernightRangeBelongsToTheDayItStartsOn() {
    Schedule s = Schedule.parse("schedule", "Mon-Fri 18:00-07:00 Europe/Berlin");
    String z = "Europe/Berlin"; // 2026-12-07 is a Monday
    assertFalse(s.activeAt(at("2026-12-07T06:59", z)), "Monday morning: Sunday is not listed");
    assertTrue(s.activeAt(at("2026-12-07T18:00", z)));
    assertTrue(s.activeAt(at("2026-12-08T06:59", z)), "Tuesday morning: Monday's night");
    assertFalse(s.activeAt(at("2026-12-08T07:00", z)), "the end is exclusive");
    assertFalse(s.activeAt(at("2026-12-08T12:00", z)));
    assertTrue(s.activeAt(at("2026-12-12T06:00", z)), "Saturday morning: Friday's night");
    assertFalse(s.activeAt(at("2026-12-12T18:00", z)), "Saturday evening");
    assertTrue(s.activeAt(at("2026-12-07T17:30", "UTC")), "18:30 in Berlin");
    assertFalse(s.activeAt(at("2026-12-07T16:30", "UTC")), "17:30 in Berlin");
  }

  @Test
  void clausesDaysListsAndTheDefaultZone() {
    Schedule s = Schedule.parse("schedule", "Sat,Sun 00:00-24:00; Wed 08:00-12:00,13:00-17:00");
    assertTrue(s.activeAt(at("2026-12-12T23:59", "UTC")));
    assertTrue(s.activeAt(at("2026-12-09T09:00", "UTC")));
    assertFalse(s.activeAt(at("2026-12-09T12:30", "UTC")));
    assertFalse(s.activeAt(at("2026-12-10T09:00", "UTC")));
    assertTrue(Schedule.parse("s", "22:00-06:00").activeAt(at("2026-12-10T05:00", "UTC")));
    assertTrue(Schedule.parse("s", "Fri-Mon 10:00-11:00").activeAt(at("2026-12-13T10:30", "UTC")));
  }

  @Test
  void namesWhatIsWrong() {
    assertProblem("", "empty");
    assertProblem("Mon-Fri", "is not HH:MM");
    assertProblem("Mon-Fri 18:00", "not HH:MM-HH:MM");
    assertProblem("Mon-Fri 25:00-07:00", "not a time of day");
    assertProblem("Mon-Fri 18:00-18:00", "empty");
    assertProblem("Mon-Fri 18:00-07:00 Nowhere/City", "unknown time zone");
    assertProblem("Monday 18:00-07:00", "unknown day");
    assertProblem("Mon 18:00-07:00 UTC; Tue 08:00-09:00", "not '[days] HH:MM-HH:MM'");
  }

  private static void assertProblem(String text, String problem) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> Schedule.parse("schedule", text));
    assertEquals("schedule", e.field());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }
}
