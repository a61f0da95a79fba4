package io.streamsight.deploy.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SummarizeProgressTest {
  @Test
  void lineShowsVideoTimePercentAndSpeed() {
    assertEquals(
        "summarising [##########              ]  42%  00:25 / 01:00  5.0x real time",
        SummarizeProgress.line(25_200_000, 60_000_000, "summarising", 5_040_000_000L));
    assertEquals(
        "summarising  00:25  2.5x real time",
        SummarizeProgress.line(25_000_000, 0, "summarising", 10_000_000_000L));
  }

  @Test
  void redrawsAtMostEvery200msAndEndsItsLine() {
    AtomicLong now = new AtomicLong();
    StringWriter out = new StringWriter();
    SummarizeProgress p = new SummarizeProgress(new PrintWriter(out, true), now::get);
    p.update(1_000_000, 10_000_000, "s");
    assertEquals("", out.toString(), "nothing in the first 200 ms");
    now.set(300_000_000);
    p.update(2_000_000, 10_000_000, "s");
    now.set(400_000_000);
    p.update(3_000_000, 10_000_000, "s");
    assertEquals(1, out.toString().split("\r", -1).length - 1, out.toString());
    p.note("done");
    assertTrue(out.toString().endsWith("\ndone" + System.lineSeparator()), out.toString());
  }
}
