package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.validation.RecordChecks;
import io.streamsight.vlm.operator.CameraRouter.Waiting;
import io.streamsight.vlm.operator.StateTtl;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.timeline.TimelineEvent;
import io.streamsight.vlm.timeline.TimelineMerger;
import io.streamsight.vlm.timeline.WindowSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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

  /** Only Flink's final watermark (end of a bounded input) reaches it. */
  private static final long END_OF_INPUT = Long.MAX_VALUE - 1;

  private final OperatorConfig config;
  private final long freshnessMicros;
  private final long waitMillis;
  private final long foldMicros;
  private transient ValueState<CameraHistory> history;
  private transient MapState<String, Waiting> waiting;
  private transient TimelineMerger merger;

  public PastQuestions(OperatorConfig config) {
    this.config = config;
    this.freshnessMicros = DigestFunction.micros(config.ask().freshness());
    this.waitMillis = config.ask().freshFrameWait().toMillis();
    this.foldMicros = DigestFunction.micros(config.digests().foldGapsUpTo());
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<CameraHistory> h =
        new ValueStateDescriptor<>("camera-history", TypeInformation.of(CameraHistory.class));
    h.enableTimeToLive(StateTtl.config());
    history = getRuntimeContext().getState(h);
    MapStateDescriptor<String, Waiting> w =
        new MapStateDescriptor<>(
            "waiting-past-questions", Types.STRING, TypeInformation.of(Waiting.class));
    w.enableTimeToLive(StateTtl.config());
    waiting = getRuntimeContext().getMapState(w);
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
    if (waiting.isEmpty()) {
      return;
    }
    List<QueryIn> done = new ArrayList<>();
    for (Waiting x : waiting.values()) {
      if (summarised(h, x.query())) {
        done.add(x.query());
      }
    }
    done.sort(Comparator.comparing(QueryIn::queryId)); // map state has no order
    for (QueryIn q : done) {
      waiting.remove(q.queryId());
      out.collect(question(h, q));
    }
    if (waiting.isEmpty()) {
      ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
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
    boolean expired = q.deadlineMicros() > 0 && now * 1000 > q.deadlineMicros();
    if (summarised(h, q) || expired) {
      out.collect(question(h, q));
      return;
    }
    long timer = now + waitMillis;
    if (q.deadlineMicros() > 0) {
      timer = Math.min(timer, Math.floorDiv(q.deadlineMicros(), 1000) + 1);
    }
    waiting.put(q.queryId(), new Waiting(q, timer));
    ctx.timerService().registerProcessingTimeTimer(timer);
    ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PastQuestion> out)
      throws Exception {
    boolean endOfInput = ctx.timeDomain() == TimeDomain.EVENT_TIME;
    List<QueryIn> due = new ArrayList<>();
    for (Waiting x : waiting.values()) {
      if (endOfInput || x.timerMillis() <= timestamp) {
        due.add(x.query());
      }
    }
    due.sort(Comparator.comparing(QueryIn::queryId));
    CameraHistory h = history.value();
    for (QueryIn q : due) {
      waiting.remove(q.queryId());
      out.collect(question(h, q)); // from what there is: the newest summaries may be missing
    }
    if (!endOfInput && waiting.isEmpty()) {
      ctx.timerService().deleteEventTimeTimer(END_OF_INPUT); // timers outlive state TTL
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
