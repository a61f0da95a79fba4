package io.streamsight.vlm.operator;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleChange;
import io.streamsight.vlm.operator.types.RuleCheck;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per camera: turns inference outcomes into records. A closed window becomes a {@link Summary}
 * (noting how many windows were shed since the previous one). A window so far (scored as its newest
 * keyframe arrived) becomes an {@link Alert} per rule whose p(yes) reached its threshold, at once,
 * unless the rule already alerted on this window or on this camera within its cooldown: a window
 * alerts at most once per rule, on the first keyframe that crossed the threshold, and the alert's
 * evidence is the window so far, ending with that keyframe. A score that failed (NaN, counted and
 * logged by the inference function) is neither: no alert, and the cooldown is left as it was. Alert
 * ids are derived from (rule, camera, window), so a replay after a failure produces the same ids.
 * Questions do not come here: they take their own fast path ({@link CameraRouter#QUESTIONS}, {@link
 * Answers}).
 *
 * <p>Rule changes arrive on the broadcast side only so that a deleted rule's cooldown entries are
 * dropped from every camera's state at once. An outcome still in flight when the tombstone passes
 * may write one entry back; the state TTL ({@link StateTtl}) removes that one a day later.
 */
public final class OutcomeEmitter
    extends KeyedBroadcastProcessFunction<String, InferenceOutcome, RuleChange, Summary>
    implements ResultTypeQueryable<Summary> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<Alert> ALERTS =
      new OutputTag<>("alerts", AvroTypeInfo.forClass(Alert.class));

  private transient ValueState<Integer> shedSinceSummary;
  private transient MapState<String, Long> lastAlertWindowEnd;
  private transient Counter alertsEmitted;

  @Override
  public TypeInformation<Summary> getProducedType() {
    return AvroTypeInfo.forClass(Summary.class);
  }

  /** Per camera: rule id to the window end of its last alert (the cooldown). */
  static MapStateDescriptor<String, Long> cooldownDescriptor() {
    MapStateDescriptor<String, Long> d =
        new MapStateDescriptor<>("last-alert-window-end", Types.STRING, Types.LONG);
    d.enableTimeToLive(StateTtl.config());
    return d;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<Integer> shed =
        new ValueStateDescriptor<>("shed-since-summary", Types.INT);
    shed.enableTimeToLive(StateTtl.config());
    shedSinceSummary = getRuntimeContext().getState(shed);
    lastAlertWindowEnd = getRuntimeContext().getMapState(cooldownDescriptor());
    alertsEmitted = getRuntimeContext().getMetricGroup().counter("alertsEmitted");
  }

  @Override
  public void processBroadcastElement(RuleChange c, Context ctx, Collector<Summary> out)
      throws Exception {
    if (c.isDelete()) {
      // Deletes are rare; visiting every camera of this subtask once per delete is cheap.
      ctx.applyToKeyedState(cooldownDescriptor(), (camera, state) -> state.remove(c.ruleId()));
    }
  }

  @Override
  public void processElement(InferenceOutcome o, ReadOnlyContext ctx, Collector<Summary> out)
      throws Exception {
    InferenceTask task = o.task();
    if (o.shed()) {
      if (task.isSummary()) {
        Integer n = shedSinceSummary.value();
        shedSinceSummary.update(n == null ? 1 : n + 1);
      }
      // A shed window-so-far is counted (windowsShed) by the inference function; the window's
      // later keyframes are scored again.
      return;
    }
    WindowFrames w = task.window();
    List<KeyframeRef> refs = w.refs();
    if (task.isSummary()) {
      summary(task, o, refs, out);
    }
    Rule[] rules = task.rules();
    for (int i = 0; i < rules.length && i < o.pYes().length; i++) {
      Rule rule = rules[i];
      double p = o.pYes()[i];
      if (Double.isNaN(p) || p < rule.threshold()) { // NaN: the score failed, not a "no"
        continue;
      }
      if (!o.check(i).mayAlert()) {
        continue; // its verifier disagreed or could not be asked (counted by inference)
      }
      Long last = lastAlertWindowEnd.get(rule.id());
      if (last != null
          && (last == w.windowEndMicros() || w.windowEndMicros() - last < rule.cooldownMicros())) {
        continue; // this window already alerted, or the rule is cooling down
      }
      lastAlertWindowEnd.put(rule.id(), w.windowEndMicros());
      alertsEmitted.inc();
      ctx.output(ALERTS, alert(rule, task, o, p, refs, o.check(i)));
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
    String name = ruleId + '\u0000' + cameraId + '\u0000' + startMicros + '\u0000' + endMicros;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static Alert alert(
      Rule rule,
      InferenceTask task,
      InferenceOutcome o,
      double p,
      List<KeyframeRef> refs,
      RuleCheck check) {
    WindowFrames w = task.window();
    return Alert.newBuilder()
        .setAlertId(alertId(rule.id(), task.cameraId(), w.windowStartMicros(), w.windowEndMicros()))
        .setRuleId(rule.id())
        .setCameraId(task.cameraId())
        .setQuestion(rule.question())
        .setPYes(p)
        .setThreshold(rule.threshold())
        .setSeverity(Severity.valueOf(rule.severity()))
        .setWindowStartMicros(w.windowStartMicros())
        .setWindowEndMicros(w.windowEndMicros())
        .setEvidence(refs)
        .setModelId(o.modelId())
        .setTimings(o.timings().toAvro())
        .setScoreMethod(check.scoreMethodAvro())
        .setVerification(check.verificationAvro())
        .build();
  }
}
