package io.streamsight.vlm.timeline;

import java.util.Locale;

/** Times as a timeline prints them: {@code 04:05}, or {@code 1:02:03} from an hour on. */
public final class Timestamps {
  private Timestamps() {}

  /** {@code micros} (rounded to whole seconds) as {@code mm:ss} or {@code h:mm:ss}. */
  public static String clock(long micros) {
    long s = (Math.max(0, micros) + 500_000) / 1_000_000;
    long h = s / 3600;
    long m = s / 60 % 60;
    long sec = s % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
        : String.format(Locale.ROOT, "%02d:%02d", m, sec);
  }

  /** {@code 00:00–00:20} (en dash), times relative to {@code originMicros}. */
  public static String range(long startMicros, long endMicros, long originMicros) {
    return clock(startMicros - originMicros) + "\u2013" + clock(endMicros - originMicros);
  }
}
