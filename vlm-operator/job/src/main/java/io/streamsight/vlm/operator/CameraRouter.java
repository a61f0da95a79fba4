package io.streamsight.vlm.operator;

import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.CameraEvent;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleChange;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per camera: turns each window-so-far (sent as a keyframe arrives) into a task scoring the rules
 * that apply to the camera at that moment, and each closed window into a summary task; answers live
 * questions about the camera as it is now; and applies rule changes broadcast from {@code
 * vlm.rules} (add, update, delete).
 *
 * <p>Rules are scored only on windows-so-far: the last one a window gets holds the same keyframes
 * as the closed window, so scoring again at close would cost a model call and could only repeat an
 * alert the window already had (one per rule and window). The price: a rule added after a window's
 * last keyframe arrived is first scored on the next keyframe.
 *
 * <p>Questions are about now. The router keeps the camera's freshest window (the window-so-far or
 * closed window holding its newest keyframe). A question is answered as soon as the camera has a
 * frame captured at most {@code ask.freshness} before the question was asked: at once when the
 * freshest window holds one, else with the first window that brings one (the sampler forwards a
 * {@code QUERY} keyframe when a question is pending, so one normally comes within a fraction of a
 * second). Waiting questions live in keyed state with a processing-time timer at arrival + {@code
 * ask.freshFrameWait} (or at their deadline, if sooner); when it fires first, the question is
 * answered from the freshest window there is, marked stale (OFFLINE, with the frame's age), or as
 * an unknown camera when there is none. A question is never held past its deadline: the inference
 * function turns a task whose deadline passed into EXPIRED. Question tasks leave by the {@link
 * #QUESTIONS} side output, to their own inference operator, so they never queue behind window work.
 *
 * <p>Processing time decides when a stale answer is given, so a replay may answer differently;
 * answers are at-least-once anyway (readers dedupe by query id) and no window output depends on it.
 */
public final class CameraRouter
    extends KeyedBroadcastProcessFunction<String, CameraEvent, RuleChange, InferenceTask> {
  private static final long serialVersionUID = 1L;

  /** Broadcast state: rule id to rule, the same on every subtask. */
  public static final MapStateDescriptor<String, Rule> RULES =
      new MapStateDescriptor<>("rules", Types.STRING, TypeInformation.of(Rule.class));

  /** Question tasks, for the inference operator of the fast path. */
  public static final OutputTag<InferenceTask> QUESTIONS =
      new OutputTag<>("questions", TypeInformation.of(InferenceTask.class));

  private final OperatorConfig config;
  private final long freshnessMicros;
  private transient ValueState<WindowFrames> freshest;
  private transient ValueState<Long> rescored;
  private transient WaitingQuestions waiting;

  public CameraRouter(OperatorConfig config) {
    this.config = config;
    this.freshnessMicros = config.ask().freshness().toNanos() / 1000;
  }

  @Override
  public void open(OpenContext ctx) {
    // The name of the state that held the latest closed window: restored, it is a fine first
    // "freshest" window (same type), so a savepoint from before keeps answering questions.
    ValueStateDescriptor<WindowFrames> d =
        new ValueStateDescriptor<>("latest-window", TypeInformation.of(WindowFrames.class));
    // K keyframe references per camera: a camera gone for a day must not keep them forever.
    d.enableTimeToLive(StateTtl.config());
    freshest = getRuntimeContext().getState(d);
    ValueStateDescriptor<Long> r = new ValueStateDescriptor<>("rescored-newest", Types.LONG);
    r.enableTimeToLive(StateTtl.config());
    rescored = getRuntimeContext().getState(r);
    waiting =
        WaitingQuestions.open(
            getRuntimeContext(), "waiting-questions", config.ask().freshFrameWait());
  }

  @Override
  public void processElement(CameraEvent e, ReadOnlyContext ctx, Collector<InferenceTask> out)
      throws Exception {
    String camera = ctx.getCurrentKey();
    if (e.window() == null) {
      ask(e.query(), ctx);
      return;
    }
    if (e.window().isTick()) {
      // Event time for the alert events, only for cameras some rule watches (else nothing needs
      // it); never remembered as a window or used for a question (it has no image).
      List<Rule> rules = rulesFor(camera, ctx);
      if (!rules.isEmpty()) {
        rescoreNewest(camera, e.window(), rules, out);
        out.collect(InferenceTask.tick(e.window()));
      }
      return;
    }
    if (e.window().closed()) {
      out.collect(
          new InferenceTask(camera, e.window(), config.instructionFor(camera), new Rule[0], null));
    } else {
      List<Rule> rules = rulesFor(camera, ctx);
      if (!rules.isEmpty()) {
        out.collect(new InferenceTask(camera, e.window(), null, rules.toArray(Rule[]::new), null));
      }
    }
    remember(e.window());
    answerWaiting(e.window(), ctx);
  }

  /**
   * Once the camera's time has passed the end of the window holding its newest keyframe, scores
   * that keyframe alone, once. Why: rules score the window so far, so the keyframe that shows the
   * scene back to normal (the end of an alert's condition) is scored together with the frames that
   * still show the condition, and says "yes"; on a static scene no later keyframe comes for up to
   * the sampler's maxGap (30 s), so the event would stay open that long. The newest keyframe alone
   * is the scene as it is now. Cost: at most one score per rule for each window that ended with two
   * or more keyframes, none for a static camera after that (its verdict cannot change without a
   * keyframe). Decided on records only (the tick, the freshest window), so a replay rescores the
   * same frames.
   */
  private void rescoreNewest(
      String camera, WindowFrames tick, List<Rule> rules, Collector<InferenceTask> out)
      throws Exception {
    WindowFrames f = freshest.value();
    if (f == null || f.frames().length < 2 || tick.windowEndMicros() < f.windowEndMicros()) {
      return; // nothing to split, or its window is still open (more keyframes may join it)
    }
    long newest = f.newestCaptureMicros();
    Long done = rescored.value();
    if (done != null && done == newest) {
      return;
    }
    rescored.update(newest);
    FrameRef last = f.frames()[0];
    for (FrameRef x : f.frames()) {
      if (x.captureMicros() >= last.captureMicros()) {
        last = x;
      }
    }
    WindowFrames alone =
        new WindowFrames(
            camera, f.windowStartMicros(), f.windowEndMicros(), new FrameRef[] {last}, false);
    out.collect(new InferenceTask(camera, alone, null, rules.toArray(Rule[]::new), null));
  }

  /** The enabled rules matching {@code camera}, by id. */
  private static List<Rule> rulesFor(String camera, ReadOnlyContext ctx) throws Exception {
    List<Rule> rules = new ArrayList<>();
    for (Map.Entry<String, Rule> r : ctx.getBroadcastState(RULES).immutableEntries()) {
      if (r.getValue().enabled() && r.getValue().matches(camera)) {
        rules.add(r.getValue());
      }
    }
    // Broadcast state has no order; sorting keeps task contents (and replays) deterministic.
    rules.sort(Comparator.comparing(Rule::id));
    return rules;
  }

  /** Keeps {@code w} if it holds the camera's newest frame (ties: the later one, as sent). */
  private void remember(WindowFrames w) throws Exception {
    if (w.frames().length == 0) {
      return;
    }
    WindowFrames f = freshest.value();
    if (f == null || w.newestCaptureMicros() >= f.newestCaptureMicros()) {
      freshest.update(w);
    }
  }

  private void ask(QueryIn q, ReadOnlyContext ctx) throws Exception {
    if (waiting.contains(q.queryId())) {
      return; // the same question delivered twice while it waits: it gets one answer
    }
    long now = ctx.timerService().currentProcessingTime();
    WindowFrames w = freshest.value();
    if (fresh(w, q) || WaitingQuestions.expired(q, now)) {
      ctx.output(QUESTIONS, InferenceTask.question(q, w, false));
      return;
    }
    waiting.park(q, ctx.timerService()); // the inference function answers EXPIRED past a deadline
  }

  /** Answers every waiting question that {@code w} has a fresh enough frame for, with it. */
  private void answerWaiting(WindowFrames w, ReadOnlyContext ctx) throws Exception {
    for (QueryIn q : waiting.takeIf(q -> fresh(w, q), ctx.timerService())) {
      ctx.output(QUESTIONS, InferenceTask.question(q, w, false));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<InferenceTask> out)
      throws Exception {
    // End of a bounded input (no frame can come any more): everything waiting is answered now.
    boolean endOfInput = ctx.timeDomain() == TimeDomain.EVENT_TIME;
    WindowFrames w = freshest.value();
    for (QueryIn q : waiting.takeDue(timestamp, endOfInput, ctx.timerService())) {
      // No fresh frame came in time: the freshest there is, marked stale (null: unknown camera).
      ctx.output(QUESTIONS, InferenceTask.question(q, w, w != null && !fresh(w, q)));
    }
  }

  /** True when {@code w} holds a frame captured at most {@code ask.freshness} before {@code q}. */
  private boolean fresh(WindowFrames w, QueryIn q) {
    return w != null
        && w.frames().length > 0
        && w.newestCaptureMicros() >= q.createdMicros() - freshnessMicros;
  }

  @Override
  public void processBroadcastElement(RuleChange c, Context ctx, Collector<InferenceTask> out)
      throws Exception {
    if (c.rejected() != null) {
      return; // dead-lettered upstream, before the broadcast (else once per subtask)
    }
    if (c.isDelete()) {
      ctx.getBroadcastState(RULES).remove(c.ruleId());
    } else {
      ctx.getBroadcastState(RULES).put(c.ruleId(), c.rule());
    }
  }
}
