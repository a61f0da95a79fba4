package io.streamsight.schemas.records;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;

/**
 * How readers see the records of an alert event ({@code vlm.alerts}): one event id ({@code
 * alertId}) for its STARTED, UPDATED and ENDED records. Records written before events had no phase:
 * each stood for a one-window event and reads as STARTED.
 *
 * <p>Alerts are at-least-once: after an operator restart a record can be on the topic twice. A
 * repeat has the same {@link #recordKey}; two different records of one event never do (an event has
 * one STARTED and one ENDED; its UPDATED records differ by their summary).
 */
public final class AlertEvents {
  private AlertEvents() {}

  public static AlertPhase phaseOf(Alert a) {
    return a.getPhase() == null ? AlertPhase.STARTED : a.getPhase();
  }

  /** True for the record that opens an event (STARTED, or a record from before events). */
  public static boolean opens(Alert a) {
    return phaseOf(a) == AlertPhase.STARTED;
  }

  public static boolean ended(Alert a) {
    return phaseOf(a) == AlertPhase.ENDED;
  }

  /** Identifies one record of one event, for readers that drop repeats. */
  public static String recordKey(Alert a) {
    AlertPhase p = phaseOf(a);
    String extra = p == AlertPhase.UPDATED && a.getSummaryText() != null ? a.getSummaryText() : "";
    return a.getAlertId() + '\u0000' + p + '\u0000' + extra;
  }

  /** Event start (the window start for records from before events). */
  public static long startMicros(Alert a) {
    return a.getEventStartMicros() != null ? a.getEventStartMicros() : a.getWindowStartMicros();
  }

  /**
   * How long the event lasted (ENDED) or has lasted up to this record's window, in microseconds.
   */
  public static long durationMicros(Alert a) {
    long end = a.getEventEndMicros() != null ? a.getEventEndMicros() : startMicros(a);
    return Math.max(0, end - startMicros(a));
  }

  /** The highest p(yes) of the event so far (this record's for records from before events). */
  public static double peakPYes(Alert a) {
    return a.getPeakPYes() != null ? a.getPeakPYes() : a.getPYes();
  }

  /**
   * One line for people: {@code STARTED fence on cam-1 p=0.91}, {@code ENDED fence on cam-1 after
   * 31.5s, peak 0.93 (CLEARED)}.
   */
  public static String describe(Alert a) {
    AlertPhase p = phaseOf(a);
    StringBuilder b =
        new StringBuilder().append(p).append(' ').append(a.getRuleId()).append(" on ");
    b.append(a.getCameraId());
    switch (p) {
      case STARTED -> b.append(String.format(" p=%.2f", a.getPYes()));
      case UPDATED ->
          b.append(String.format(" peak %.2f", peakPYes(a)))
              .append(a.getSummaryText() == null ? "" : ": " + a.getSummaryText());
      case ENDED ->
          b.append(String.format(" after %.1fs, peak %.2f", durationMicros(a) / 1e6, peakPYes(a)))
              .append(a.getEndReason() == null ? "" : " (" + a.getEndReason() + ")");
    }
    return b.toString();
  }
}
