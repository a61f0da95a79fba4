package io.streamsight.ingest.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameRateGateTest {
  private static int kept(FrameRateGate gate, long stepMicros, int frames) {
    int n = 0;
    for (int i = 0; i < frames; i++) {
      if (gate.keep(i * stepMicros)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void keepsFiveFramesPerSecondFromA25FpsStream() {
    assertEquals(50, kept(new FrameRateGate(200_000), 40_000, 250));
  }

  @Test
  void keepsTheTargetRateFromAnNtscStreamDespiteRounding() {
    // 29.97 fps, PTS rounded to microseconds; 10 fps target over 10 s.
    FrameRateGate gate = new FrameRateGate(100_000);
    int n = 0;
    for (int i = 0; i < 300; i++) {
      if (gate.keep(Math.round(i * 1_000_000 / 29.97))) {
        n++;
      }
    }
    assertEquals(100, n, 1.0);
  }

  @Test
  void keepsEverythingWhenTheStreamIsSlowerThanTheTarget() {
    assertEquals(20, kept(new FrameRateGate(40_000), 200_000, 20));
  }

  @Test
  void restartsTheScheduleAfterAGapInsteadOfBursting() {
    FrameRateGate gate = new FrameRateGate(200_000);
    assertTrue(gate.keep(0));
    assertFalse(gate.keep(40_000));
    assertTrue(gate.keep(10_000_000)); // 10 s gap
    assertFalse(gate.keep(10_040_000));
    assertTrue(gate.keep(10_200_000));
  }

  @Test
  void restartsWhenTimeGoesBackwards() {
    FrameRateGate gate = new FrameRateGate(200_000);
    assertTrue(gate.keep(5_000_000));
    assertTrue(gate.keep(0));
    assertEquals(200_000, gate.untilDueMicros());
  }
}
