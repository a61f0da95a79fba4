package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.validation.RecordChecks;
import io.streamsight.vlm.operator.StateTtl;
import io.streamsight.vlm.operator.WaitingQuestions;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.timeline.TimelineEvent;
import io.streamsight.vlm.timeline.TimelineMerger;
import io.streamsight.vlm.timeline.WindowSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Questions about the past ({@code lookbackMicros} set), per camera: keeps the camera's recent
 * timeline, built from its window summaries with the digests' {@link TimelineMerger} (same meaning
 * extends an event, a change closes it, a gap longer than {@code digests.foldGapsUpTo} ends it),
 * and hands each question the events inside its look back.
 *
 * <p>Why a timeline of its own rather than the digest periods' state: a digest period forgets its
 * events when it closes, so a look back crossing a period start would lose the earlier part. This
 * keeps {@link #KEEP_MICROS} (the longest look back a question may ask for) of merged events, at
 * most {@link #MAX_EVENTS}: a few hundred small records per camera at most.
 *
 * <p>A question is taken up once the camera's summaries reach its time (a window ending at most
 * {@code ask.freshness} before it), waiting at most {@code ask.freshFrameWait} (wall time) or until
 * its deadline: summaries come some seconds after their window, and a question about "the last 10
 * minutes" should include the moment it was asked when that is about to arrive. After the wait it
 * is answered from what there is. At the end of a bounded input, waiting questions go at once.
 */
public final class PastQuestions
    extends KeyedCoProcessFunction<String, DigestInput, QueryIn, PastQuestion> {
  private static final long serialVersionUID = 1L;

  /** How far back a camera's timeline is kept: the longest look back a question may ask for. */
  public static final long KEEP_MICROS = RecordChecks.MAX_LOOKBACK_MICROS;

  /** Events kept per camera at most (oldest dropped first). */
  public static final int MAX_EVENTS = 1024;

  private final OperatorConfig config;
  private final long freshnessMicros;
  private final long foldMicros;
  private transient ValueState<CameraHistory> history;
  private transient WaitingQuestions waiting;
  private transient TimelineMerger merger;

  public PastQuestions(OperatorConfig config) {
    this.config = config;
    this.freshnessMicros = DigestFunction.micros(config.ask().freshness());
    this.foldMicros = DigestFunction.micros(config.digests().foldGapsUpTo());
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<CameraHistory> h =
        new ValueStateDescriptor<>("camera-history", TypeInformation.of(CameraHistory.class));
    h.enableTimeToLive(StateTtl.config());
    history = getRuntimeContext().getState(h);
    waiting =
        WaitingQuestions.open(
            getRuntimeContext(), "waiting-past-questions", config.ask().freshFrameWait());
    merger = SharedSimilarity.acquire(config.digests().similarity());
  }

  @Override
  public void close() {
    if (merger != null) {
      merger = null;
      SharedSimilarity.release(config.digests().similarity());
    }
  }

  /** A window summary (other digest inputs are ignored). */
  @Override
  public void processElement1(DigestInput in, Context ctx, Collector<PastQuestion> out)
      throws Exception {
    if (in.kind() != DigestInput.Kind.WINDOW) {
      return;
    }
    CameraHistory h = history.value();
    if (h == null) {
      h = new CameraHistory();
    }
    add(merger, foldMicros, h, in);
    history.update(h);
    CameraHistory now = h;
    for (QueryIn q : waiting.takeIf(q -> summarised(now, q), ctx.timerService())) {
      out.collect(question(h, q));
    }
  }

  @Override
  public void processElement2(QueryIn q, Context ctx, Collector<PastQuestion> out)
      throws Exception {
    if (waiting.contains(q.queryId())) {
      return; // delivered twice while it waits: one answer
    }
    CameraHistory h = history.value();
    long now = ctx.timerService().currentProcessingTime();
    if (summarised(h, q) || WaitingQuestions.expired(q, now)) {
      out.collect(question(h, q));
      return;
    }
    waiting.park(q, ctx.timerService());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PastQuestion> out)
      throws Exception {
    boolean endOfInput = ctx.timeDomain() == TimeDomain.EVENT_TIME;
    CameraHistory h = history.value();
    for (QueryIn q : waiting.takeDue(timestamp, endOfInput, ctx.timerService())) {
      out.collect(question(h, q)); // from what there is: the newest summaries may be missing
    }
  }

  /** Whether the camera's summaries reach the question's time (within ask.freshness). */
  private boolean summarised(CameraHistory h, QueryIn q) {
    return h != null && h.summaryMicros >= q.createdMicros() - freshnessMicros;
  }

  /** The question with the events of {@code h} inside its look back, clipped to it. */
  static PastQuestion question(CameraHistory h, QueryIn q) {
    long from = q.createdMicros() - q.lookbackMicros();
    long to = q.createdMicros();
    List<TimelineEvent> in = new ArrayList<>();
    if (h != null) {
      List<TimelineEvent> all = new ArrayList<>(Arrays.asList(h.closed));
      if (h.open != null) {
        all.add(h.open);
      }
      for (TimelineEvent e : all) {
        long s = Math.max(e.startMicros(), from);
        long t = Math.min(e.endMicros(), to);
        if (!e.isPlaceholder() && t > s) {
          in.add(new TimelineEvent(s, t, e.text(), e.keyframe(), e.windows()));
        }
      }
    }
    return new PastQuestion(
        q, in.toArray(TimelineEvent[]::new), h == null ? Long.MIN_VALUE : h.summaryMicros);
  }

  /** Adds one window summary to the camera's timeline (the digests' merge rules) and prunes it. */
  static void add(TimelineMerger merger, long foldMicros, CameraHistory h, DigestInput w) {
    if (h.open != null && w.startMicros() < h.open.startMicros()) {
      return; // out of order (a clock step back): the merge needs windows in order
    }
    h.summaryMicros = Math.max(h.summaryMicros, w.endMicros());
    if (h.open != null && w.startMicros() - h.open.endMicros() > foldMicros) {
      endOpen(h); // the camera was away: nothing is known of the gap
    }
    if (!w.failed()) {
      TimelineMerger.Step step =
          merger.step(
              h.open,
              WindowSummary.described(w.startMicros(), w.endMicros(), w.text(), w.keyframe()));
      if (step.closed() != null) {
        h.closed = append(h.closed, step.closed());
      }
      h.open = step.open();
    }
    long keepFrom = h.summaryMicros - KEEP_MICROS;
    int drop = 0;
    while (drop < h.closed.length
        && (h.closed[drop].endMicros() < keepFrom || h.closed.length - drop > MAX_EVENTS)) {
      drop++;
    }
    if (drop > 0) {
      h.closed = Arrays.copyOfRange(h.closed, drop, h.closed.length);
    }
  }

  private static void endOpen(CameraHistory h) {
    if (!h.open.isPlaceholder()) {
      h.closed = append(h.closed, h.open);
    }
    h.open = null;
  }

  private static TimelineEvent[] append(TimelineEvent[] a, TimelineEvent e) {
    TimelineEvent[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = e;
    return b;
  }
}
