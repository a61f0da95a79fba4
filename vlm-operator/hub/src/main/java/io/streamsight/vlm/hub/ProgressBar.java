package io.streamsight.vlm.hub;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar (bytes, percent, rate) redrawn with {@code \r}, at most every 200 ms so a
 * fast local transfer does not spend its time printing.
 */
public final class ProgressBar implements PullListener {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 24;

  private final PrintStream out;
  private final LongSupplier nanoClock;
  private long startNanos;
  private long startOffset;
  private long lastDraw;
  private boolean drawn;

  public ProgressBar(PrintStream out) {
    this(out, System::nanoTime);
  }

  ProgressBar(PrintStream out, LongSupplier nanoClock) {
    this.out = out;
    this.nanoClock = nanoClock;
  }

  @Override
  public void note(String message) {
    endLine();
    out.println(message);
  }

  @Override
  public void started(String path, long offset, long total) {
    startNanos = nanoClock.getAsLong();
    startOffset = offset;
    lastDraw = startNanos; // first draw after 200 ms: small files only get their "fetched" line
    if (offset > 0) {
      note("resuming " + path + " at " + bytes(offset));
    }
  }

  @Override
  public void progress(String path, long done, long total) {
    long now = nanoClock.getAsLong();
    if (now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    out.print("\r" + line(path, done, total, now - startNanos));
    out.flush();
    drawn = true;
  }

  @Override
  public void finished(String path, long size, boolean skipped) {
    endLine();
    out.println((skipped ? "present  " : "fetched  ") + path + " (" + bytes(size) + ")");
  }

  /** The bar text: {@code path [##### ] 42% 12.0 MiB / 28.5 MiB 3.1 MiB/s}. */
  String line(String path, long done, long total, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos, 1) / 1e9;
    String rate = bytes((long) ((done - startOffset) / seconds)) + "/s";
    if (total <= 0) {
      return String.format(Locale.ROOT, "%s  %s  %s", path, bytes(done), rate);
    }
    int pct = (int) Math.min(100, done * 100 / total);
    int fill = pct * WIDTH / 100;
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %3d%%  %s / %s  %s",
        path,
        "#".repeat(fill),
        " ".repeat(WIDTH - fill),
        pct,
        bytes(done),
        bytes(total),
        rate);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private void endLine() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }
}
