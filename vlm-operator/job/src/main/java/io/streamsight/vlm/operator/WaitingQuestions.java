package io.streamsight.vlm.operator;

import io.streamsight.vlm.operator.types.QueryIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Questions of one camera waiting in keyed state for something to arrive (a fresh frame, a recent
 * summary), each until a processing-time timer at arrival + the configured wait, or its deadline if
 * sooner. Shared by the live ({@link CameraRouter}) and past ({@code PastQuestions}) question
 * steps, which differ only in what a question waits for.
 *
 * <p>Processing-time timers do not fire once a bounded input has ended, so a waiting camera also
 * holds an event-time timer at {@link #END_OF_INPUT}, reached only by Flink's final watermark, that
 * lets its owner answer what still waits. It is dropped when nothing waits: timers outlive the
 * state TTL.
 */
public final class WaitingQuestions {
  /** A waiting question and the processing time its wait ends. */
  public record Waiting(QueryIn query, long timerMillis) {}

  /** Only Flink's final watermark (end of a bounded input) reaches it. */
  public static final long END_OF_INPUT = Long.MAX_VALUE - 1;

  private final MapState<String, Waiting> state;
  private final long waitMillis;

  private WaitingQuestions(MapState<String, Waiting> state, long waitMillis) {
    this.state = state;
    this.waitMillis = waitMillis;
  }

  /** Opens the keyed state {@code name} (with the job's TTL); call from {@code open}. */
  public static WaitingQuestions open(RuntimeContext rc, String name, Duration wait) {
    MapStateDescriptor<String, Waiting> d =
        new MapStateDescriptor<>(name, Types.STRING, TypeInformation.of(Waiting.class));
    d.enableTimeToLive(StateTtl.config());
    return new WaitingQuestions(rc.getMapState(d), wait.toMillis());
  }

  public boolean contains(String queryId) throws Exception {
    return state.contains(queryId);
  }

  /** True when {@code q}'s deadline (0 = none) passed at {@code nowMillis}. */
  public static boolean expired(QueryIn q, long nowMillis) {
    return q.deadlineMicros() > 0 && nowMillis * 1000 > q.deadlineMicros();
  }

  /** Parks {@code q} until {@code now} + the wait, or just past its deadline if that is sooner. */
  public void park(QueryIn q, TimerService timers) throws Exception {
    long timer = timers.currentProcessingTime() + waitMillis;
    if (q.deadlineMicros() > 0) {
      // Just past the deadline, so whoever answers sees it passed (EXPIRED).
      timer = Math.min(timer, Math.floorDiv(q.deadlineMicros(), 1000) + 1);
    }
    state.put(q.queryId(), new Waiting(q, timer));
    timers.registerProcessingTimeTimer(timer);
    timers.registerEventTimeTimer(END_OF_INPUT);
  }

  /** Removes and returns, by query id, the waiting questions that are {@code ready}. */
  public List<QueryIn> takeIf(Predicate<QueryIn> ready, TimerService timers) throws Exception {
    if (state.isEmpty()) {
      return List.of();
    }
    List<QueryIn> taken = new ArrayList<>();
    for (Waiting x : state.values()) {
      if (ready.test(x.query())) {
        taken.add(x.query());
      }
    }
    return remove(taken, timers, true);
  }

  /**
   * Removes and returns, by query id, the questions whose wait ended at {@code timestamp}, or all
   * of them at the end of a bounded input.
   */
  public List<QueryIn> takeDue(long timestamp, boolean endOfInput, TimerService timers)
      throws Exception {
    List<QueryIn> due = new ArrayList<>();
    for (Waiting x : state.values()) {
      if (endOfInput || x.timerMillis() <= timestamp) {
        due.add(x.query());
      }
    }
    return remove(due, timers, !endOfInput);
  }

  private List<QueryIn> remove(List<QueryIn> qs, TimerService timers, boolean dropEndTimer)
      throws Exception {
    qs.sort(Comparator.comparing(QueryIn::queryId)); // map state has no order
    for (QueryIn q : qs) {
      state.remove(q.queryId());
    }
    if (dropEndTimer && state.isEmpty()) {
      timers.deleteEventTimeTimer(END_OF_INPUT);
    }
    return qs;
  }
}
