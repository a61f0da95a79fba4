package io.streamsight.deploy.summarize;

import io.streamsight.vlm.timeline.Timestamps;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one-line progress bar of {@code summarize} on stderr, in the style of the model puller's
 * ({@link io.streamsight.vlm.hub.ProgressBar}): video time done, percent and speed against real
 * time, redrawn with {@code \r} at most every 200 ms.
 */
final class SummarizeProgress {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 24;

  private final PrintWriter out;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long lastDraw;
  private boolean drawn;

  SummarizeProgress(PrintWriter out) {
    this(out, System::nanoTime);
  }

  SummarizeProgress(PrintWriter out, LongSupplier nanoClock) {
    this.out = out;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastDraw = startNanos;
  }

  /** Video time summarised so far, of {@code totalMicros} (0 when the length is unknown). */
  void update(long doneMicros, long totalMicros, String stage) {
    long now = nanoClock.getAsLong();
    if (now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    out.print("\r" + line(doneMicros, totalMicros, stage, now - startNanos));
    out.flush();
    drawn = true;
  }

  /** Prints a message on its own line (ending the bar's line first). */
  void note(String message) {
    end();
    out.println(message);
  }

  /** Ends the bar's line, if one was drawn. */
  void end() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }

  /** {@code summarising [###### ] 42% 00:25 / 01:00 3.1x real time}. */
  static String line(long done, long total, String stage, long elapsedNanos) {
    double speed = done / 1e3 / Math.max(1, elapsedNanos / 1e6);
    String pace = String.format(Locale.ROOT, "%.1fx real time", speed);
    if (total <= 0) {
      return String.format(Locale.ROOT, "%s  %s  %s", stage, Timestamps.clock(done), pace);
    }
    int pct = (int) Math.min(100, done * 100 / total);
    int fill = pct * WIDTH / 100;
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %3d%%  %s / %s  %s",
        stage,
        "#".repeat(fill),
        " ".repeat(WIDTH - fill),
        pct,
        Timestamps.clock(done),
        Timestamps.clock(total),
        pace);
  }
}
