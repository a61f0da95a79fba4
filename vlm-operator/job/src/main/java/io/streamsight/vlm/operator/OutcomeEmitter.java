package io.streamsight.vlm.operator;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.alerts.AlertEvents;
import io.streamsight.vlm.operator.alerts.AlertRecords;
import io.streamsight.vlm.operator.alerts.EventState;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleChange;
import io.streamsight.vlm.operator.types.RuleCheck;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per camera: turns inference outcomes into records. A closed window becomes a {@link Summary}
 * (noting how many windows were shed since the previous one). Rule scores (a window so far, scored
 * as its newest keyframe arrived), summaries and ticks (the camera's event time moving without a
 * keyframe) drive one alert event per (camera, rule): {@link AlertEvents} decides, this function
 * keeps the states in keyed state and writes the {@link Alert} records (STARTED, UPDATED, ENDED) to
 * the {@link #ALERTS} side output at once. Questions do not come here: they take their own fast
 * path ({@link CameraRouter#QUESTIONS}, {@link Answers}).
 *
 * <p>State per camera: one {@link EventState} per rule with an event open, waiting for its
 * minDuration or cooling down, removed as soon as none of these holds; and one event-time timer at
 * the end of input (only a bounded input's last watermark reaches it) while the camera has any, so
 * that open events end when a replayed file or a test ends. Rule changes arrive on the broadcast
 * side so that a deleted or disabled rule's open events end (RULE_REMOVED) on every camera at once.
 * An outcome still in flight when the change passes may write one state back; the next tick after
 * its cooldown forgets it, the state TTL ({@link StateTtl}) at the latest.
 *
 * <p>Savepoints from before alert events: the operator uid stays {@code outcomes}; the old cooldown
 * map ({@code last-alert-window-end}: rule id to the window end of its last alert) is still
 * declared and read once per (camera, rule): an entry becomes a cooldown until its window end plus
 * the rule's cooldown and is removed.
 */
public final class OutcomeEmitter
    extends KeyedBroadcastProcessFunction<String, InferenceOutcome, RuleChange, Summary>
    implements ResultTypeQueryable<Summary> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<Alert> ALERTS =
      new OutputTag<>("alerts", AvroTypeInfo.forClass(Alert.class));

  /** Only the last watermark of a bounded input passes it (sources emit no other watermarks). */
  static final long END_OF_INPUT = Long.MAX_VALUE - 1;

  private final long updateEveryMicros;
  private transient ValueState<Integer> shedSinceSummary;
  private transient MapState<String, Long> legacyCooldowns;
  private transient MapState<String, EventState> events;
  private transient AlertEvents machine;
  private transient Counter alertsEmitted;
  private transient Counter eventsStarted;

  /** With the default {@code alerts.updateEvery}. */
  public OutcomeEmitter() {
    this(OperatorConfig.defaults().alerts().updateEveryMicros());
  }

  public OutcomeEmitter(long updateEveryMicros) {
    this.updateEveryMicros = updateEveryMicros;
  }

  @Override
  public TypeInformation<Summary> getProducedType() {
    return AvroTypeInfo.forClass(Summary.class);
  }

  /** Before alert events: rule id to the window end of its last alert (read once, then removed). */
  static MapStateDescriptor<String, Long> cooldownDescriptor() {
    MapStateDescriptor<String, Long> d =
        new MapStateDescriptor<>("last-alert-window-end", Types.STRING, Types.LONG);
    d.enableTimeToLive(StateTtl.config());
    return d;
  }

  /** Per camera: rule id to its event. */
  static MapStateDescriptor<String, EventState> eventsDescriptor() {
    MapStateDescriptor<String, EventState> d =
        new MapStateDescriptor<>(
            "alert-events", Types.STRING, TypeInformation.of(EventState.class));
    d.enableTimeToLive(StateTtl.config());
    return d;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<Integer> shed =
        new ValueStateDescriptor<>("shed-since-summary", Types.INT);
    shed.enableTimeToLive(StateTtl.config());
    shedSinceSummary = getRuntimeContext().getState(shed);
    legacyCooldowns = getRuntimeContext().getMapState(cooldownDescriptor());
    events = getRuntimeContext().getMapState(eventsDescriptor());
    machine = new AlertEvents(updateEveryMicros);
    alertsEmitted = getRuntimeContext().getMetricGroup().counter("alertsEmitted");
    eventsStarted = getRuntimeContext().getMetricGroup().counter("alertEventsStarted");
  }

  @Override
  public void processBroadcastElement(RuleChange c, Context ctx, Collector<Summary> out)
      throws Exception {
    if (c.rejected() != null || (!c.isDelete() && c.rule().enabled())) {
      return; // an update that keeps the rule: its next score carries it
    }
    // Deletes and disables are rare; visiting every camera of this subtask once is cheap.
    ctx.applyToKeyedState(cooldownDescriptor(), (camera, state) -> state.remove(c.ruleId()));
    ctx.applyToKeyedState(
        eventsDescriptor(),
        (camera, state) -> {
          EventState s = state.get(c.ruleId());
          if (s != null) {
            machine.ruleRemoved(s, camera, a -> emit(a, ctx::output));
            state.remove(c.ruleId());
          }
        });
  }

  @Override
  public void processElement(InferenceOutcome o, ReadOnlyContext ctx, Collector<Summary> out)
      throws Exception {
    InferenceTask task = o.task();
    Consumer<Alert> alerts = a -> emit(a, ctx::output);
    if (o.shed()) {
      if (task.isSummary()) {
        Integer n = shedSinceSummary.value();
        shedSinceSummary.update(n == null ? 1 : n + 1);
      }
      // A shed window-so-far is counted (windowsShed) by the inference function; the window's
      // later keyframes are scored again.
      return;
    }
    String camera = task.cameraId();
    WindowFrames w = task.window();
    if (task.isTick()) {
      // The sampler's progress: sequence -1 = extrapolated, no frame came from the camera.
      boolean quiet = w.frames()[0].sequence() < 0;
      for (String rule : ruleIds()) {
        put(rule, machine.tick(events.get(rule), camera, w.windowEndMicros(), quiet, alerts));
      }
    } else if (task.isSummary()) {
      summary(task, o, w.refs(), out);
      for (String rule : ruleIds()) {
        put(rule, machine.summary(events.get(rule), camera, w, o.text(), alerts));
      }
    } else {
      scores(task, o, alerts);
    }
    keepEndOfInputTimer(ctx.timerService());
  }

  /** Each rule of the task scored on the window so far; the camera's other events see the time. */
  private void scores(InferenceTask task, InferenceOutcome o, Consumer<Alert> alerts)
      throws Exception {
    String camera = task.cameraId();
    WindowFrames w = task.window();
    Rule[] rules = task.rules();
    Set<String> scored = new HashSet<>();
    for (int i = 0; i < rules.length && i < o.pYes().length; i++) {
      Rule rule = rules[i];
      scored.add(rule.id());
      EventState s = events.get(rule.id());
      if (s == null) {
        s = fromLegacyCooldown(rule, w.newestCaptureMicros());
      }
      RuleCheck check = o.check(i);
      var timings = o.timings().toAvro();
      put(
          rule.id(),
          machine.score(
              s,
              camera,
              rule,
              w,
              effectivePYes(o.pYes()[i], check),
              o.modelId(),
              timings,
              a -> alerts.accept(withCheck(a, check))));
    }
    for (String rule : ruleIds()) {
      if (!scored.contains(rule)) {
        put(rule, machine.tick(events.get(rule), camera, w.newestCaptureMicros(), false, alerts));
      }
    }
  }

  /**
   * The p(yes) the event state machine sees for a score that went through a verification cascade: a
   * verifier's rejection stands (its p(yes), under the threshold, so the score cannot start or hold
   * an event), and a verifier that could not be asked makes the score unknown, not a "no" (it
   * neither starts an event nor counts toward ending one; counted as shed by inference).
   */
  private static double effectivePYes(double screening, RuleCheck check) {
    return switch (check.verdict()) {
      case UNVERIFIED, CONFIRMED -> screening;
      case REJECTED -> Double.isNaN(check.verifierPYes()) ? 0 : check.verifierPYes();
      case SHED -> Double.NaN;
    };
  }

  /** How the score was read, and the verifier's judgement on the record that opens the event. */
  private static Alert withCheck(Alert a, RuleCheck check) {
    a.setScoreMethod(check.scoreMethodAvro());
    if (AlertRecords.opens(a)) {
      a.setVerification(check.verificationAvro());
    }
    return a;
  }

  /** A cooldown left by a savepoint from before alert events, as an event state (then removed). */
  private EventState fromLegacyCooldown(Rule rule, long t) throws Exception {
    Long lastWindowEnd = legacyCooldowns.get(rule.id());
    if (lastWindowEnd == null) {
      return null;
    }
    legacyCooldowns.remove(rule.id());
    return EventState.coolingFromLegacy(rule, t, lastWindowEnd + rule.cooldownMicros());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Summary> out) throws Exception {
    // End of a bounded input: nothing can come any more, open events end with their camera.
    for (String rule : ruleIds()) {
      machine.endOfInput(events.get(rule), ctx.getCurrentKey(), a -> emit(a, ctx::output));
    }
    events.clear();
  }

  private void emit(Alert a, BiConsumer<OutputTag<Alert>, Alert> output) {
    alertsEmitted.inc();
    if (AlertRecords.opens(a)) {
      eventsStarted.inc();
    }
    output.accept(ALERTS, a);
  }

  private List<String> ruleIds() throws Exception {
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, EventState> e : events.entries()) {
      ids.add(e.getKey());
    }
    return ids;
  }

  private void put(String rule, EventState s) throws Exception {
    if (s == null) {
      events.remove(rule);
    } else {
      events.put(rule, s);
    }
  }

  /** One end-of-input timer while the camera has any event state, none once it has none. */
  private void keepEndOfInputTimer(TimerService timers) throws Exception {
    if (events.isEmpty()) {
      timers.deleteEventTimeTimer(END_OF_INPUT);
    } else {
      timers.registerEventTimeTimer(END_OF_INPUT);
    }
  }

  private void summary(
      InferenceTask task, InferenceOutcome o, List<KeyframeRef> refs, Collector<Summary> out)
      throws Exception {
    WindowFrames w = task.window();
    Integer shed = shedSinceSummary.value();
    shedSinceSummary.clear();
    out.collect(
        Summary.newBuilder()
            .setCameraId(task.cameraId())
            .setWindowStartMicros(w.windowStartMicros())
            .setWindowEndMicros(w.windowEndMicros())
            .setKeyframes(refs)
            .setText(o.text())
            .setModelId(o.modelId())
            .setFinishReason(o.finish().wireName())
            .setTimings(o.timings().toAvro())
            .setWindowsShedBefore(shed == null ? 0 : shed)
            .setPrompt(task.instruction() == null ? "" : task.instruction())
            .build());
  }

  /** Deterministic id: the same rule, camera and window always give the same alert id. */
  public static String alertId(String ruleId, String cameraId, long startMicros, long endMicros) {
    return AlertRecords.alertId(ruleId, cameraId, startMicros, endMicros);
  }
}
