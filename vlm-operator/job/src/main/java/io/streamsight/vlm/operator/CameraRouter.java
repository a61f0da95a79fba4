package io.streamsight.vlm.operator;

import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.CameraEvent;
import io.streamsight.vlm.operator.types.InferenceTask;
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
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per camera: turns each window-so-far (sent as a keyframe arrives) into a task scoring the rules
 * that apply to the camera at that moment, and each closed window into a summary task; remembers
 * the camera's latest closed window (its last K keyframes) to answer live questions; and applies
 * rule changes broadcast from {@code vlm.rules} (add, update, delete).
 *
 * <p>Rules are scored only on windows-so-far: the last one a window gets holds the same keyframes
 * as the closed window, so scoring again at close would cost a model call and could only repeat an
 * alert the window already had (one per rule and window). The price: a rule added after a window's
 * last keyframe arrived is first scored on the next keyframe.
 */
public final class CameraRouter
    extends KeyedBroadcastProcessFunction<String, CameraEvent, RuleChange, InferenceTask> {
  private static final long serialVersionUID = 1L;

  /** Broadcast state: rule id to rule, the same on every subtask. */
  public static final MapStateDescriptor<String, Rule> RULES =
      new MapStateDescriptor<>("rules", Types.STRING, TypeInformation.of(Rule.class));

  private final OperatorConfig config;
  private transient ValueState<WindowFrames> latest;

  public CameraRouter(OperatorConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<WindowFrames> d =
        new ValueStateDescriptor<>("latest-window", TypeInformation.of(WindowFrames.class));
    // K keyframe references per camera: a camera gone for a day must not keep them forever.
    d.enableTimeToLive(StateTtl.config());
    latest = getRuntimeContext().getState(d);
  }

  @Override
  public void processElement(CameraEvent e, ReadOnlyContext ctx, Collector<InferenceTask> out)
      throws Exception {
    String camera = ctx.getCurrentKey();
    if (e.window() != null && e.window().closed()) {
      latest.update(e.window());
      out.collect(
          new InferenceTask(camera, e.window(), config.instructionFor(camera), new Rule[0], null));
    } else if (e.window() != null) {
      List<Rule> rules = new ArrayList<>();
      for (Map.Entry<String, Rule> r : ctx.getBroadcastState(RULES).immutableEntries()) {
        if (r.getValue().enabled() && r.getValue().matches(camera)) {
          rules.add(r.getValue());
        }
      }
      // Broadcast state has no order; sorting keeps task contents (and replays) deterministic.
      rules.sort(Comparator.comparing(Rule::id));
      if (!rules.isEmpty()) {
        out.collect(new InferenceTask(camera, e.window(), null, rules.toArray(Rule[]::new), null));
      }
    } else {
      out.collect(new InferenceTask(camera, latest.value(), null, new Rule[0], e.query()));
    }
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
