package io.streamsight.vlm.operator;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.alerts.AlertRecords;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.digest.DigestStage;
import io.streamsight.vlm.operator.inference.InferenceAsyncFunction;
import io.streamsight.vlm.operator.inference.ModelProvider;
import io.streamsight.vlm.operator.inference.Models;
import io.streamsight.vlm.operator.io.OperatorIo;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.types.CameraEvent;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.KeyframeIn;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.RuleChange;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The VLM operator: keyframes → event-time windows per camera → batched model calls → summaries,
 * alerts (rules broadcast from {@code vlm.rules}), answers to live questions (about the camera's
 * freshest frames, on a fast path of their own: {@link CameraRouter}) and per-camera digests of the
 * summaries ({@link DigestStage}), which also answers questions about the past from a camera's
 * summarised timeline ({@link DigestStage#pastAnswers}). Sources and sinks are injected ({@link
 * OperatorIo}); {@link OperatorLauncher} plugs in the Kafka ones.
 *
 * <p>Event time is the keyframe capture time, kept per camera in keyed state by {@link
 * CameraWindows}, not by source watermarks: a source watermark is one clock for every camera of a
 * partition, so one camera running ahead would make every other camera late (see there). No
 * operator uses watermarks, so no source emits them; keyframes still carry their capture time as
 * the record timestamp, which output records inherit.
 */
public final class VlmOperatorJob {
  private final OperatorConfig config;
  private final Models models;
  private final OperatorIo io;

  /** One model for every task (a job without {@code models:}). */
  public VlmOperatorJob(OperatorConfig config, ModelProvider model, OperatorIo io) {
    this(config, Models.single(model), io);
  }

  /**
   * The models declared by name ({@link Models#of}), routed per task and camera by {@code config}.
   */
  public VlmOperatorJob(OperatorConfig config, Models models, OperatorIo io) {
    this.config = config;
    this.models = models;
    this.io = io;
  }

  /** Adds the job's pipeline to {@code env} (checkpointing included). */
  public void build(StreamExecutionEnvironment env) {
    env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);

    WatermarkStrategy<KeyframeIn> timestamps =
        WatermarkStrategy.<KeyframeIn>noWatermarks()
            .withTimestampAssigner(
                (k, ts) -> k.frame() == null ? Long.MIN_VALUE : k.frame().captureMicros() / 1000);
    SingleOutputStreamOperator<FrameRef> frames =
        env.fromSource(io.keyframes(), timestamps, "keyframes")
            .uid("keyframes-source")
            .process(new RejectionSplitters.Keyframes())
            .uid("keyframes-split")
            .name("split bad keyframes");
    SingleOutputStreamOperator<RuleChange> rules =
        env.fromSource(io.rules(), WatermarkStrategy.noWatermarks(), "rules")
            .uid("rules-source")
            .process(new RejectionSplitters.Rules(models.names()))
            .uid("rules-split")
            .name("split bad rules");
    SingleOutputStreamOperator<QueryIn> queries =
        env.fromSource(io.queries(), WatermarkStrategy.noWatermarks(), "queries")
            .uid("queries-source")
            .process(new RejectionSplitters.Queries())
            .uid("queries-split")
            .name("split bad queries");

    SingleOutputStreamOperator<WindowFrames> closed =
        frames
            .keyBy(FrameRef::cameraId)
            .process(new CameraWindows(config), TypeInformation.of(WindowFrames.class))
            // A new uid: the state is per-camera clocks now, not Flink window state.
            .uid("camera-windows")
            .name("windows per camera (K frames)");
    DataStream<CameraEvent> windows =
        closed.map(CameraEvent::of, TypeInformation.of(CameraEvent.class)).uid("windows-as-events");
    // A question about the past is not about frames: it goes to the camera's timeline instead.
    DataStream<QueryIn> aboutNow =
        queries.filter(q -> !q.aboutThePast()).uid("questions-about-now").name("about now");
    DataStream<QueryIn> aboutThePast =
        queries
            .filter(QueryIn::aboutThePast)
            .uid("questions-about-the-past")
            .name("about the past");
    DataStream<CameraEvent> questions =
        aboutNow
            .map(CameraEvent::of, TypeInformation.of(CameraEvent.class))
            .uid("queries-as-events");
    BroadcastStream<RuleChange> ruleBroadcast = rules.broadcast(CameraRouter.RULES);

    SingleOutputStreamOperator<InferenceTask> tasks =
        windows
            .union(questions)
            .keyBy(CameraEvent::cameraId)
            .connect(ruleBroadcast)
            .process(new CameraRouter(config))
            .uid("camera-router")
            .name("rules, windows and live questions");
    SingleOutputStreamOperator<InferenceOutcome> outcomes =
        AsyncDataStream.orderedWait(
                tasks,
                InferenceAsyncFunction.forWindows(models, config, io.frames()),
                config.inference().timeout().toMillis(),
                TimeUnit.MILLISECONDS,
                config.inference().asyncCapacity())
            .uid("inference")
            .name("inference (batched, async)")
            .process(new RejectionSplitters.Outcomes())
            .uid("outcomes-split")
            .name("split windows without images");
    SingleOutputStreamOperator<Summary> summaries =
        outcomes
            .keyBy(o -> o.task().cameraId())
            // Rule deletions also reach the emitter, which ends their open events.
            .connect(ruleBroadcast)
            .process(
                new OutcomeEmitter(config.alerts().updateEveryMicros()),
                AvroTypeInfo.forClass(Summary.class))
            .uid("outcomes")
            .name("summaries, alert events");

    summaries.sinkTo(io.summaries()).uid("summaries-sink").name("summaries sink");
    summaries
        .getSideOutput(OutcomeEmitter.ALERTS)
        .sinkTo(io.alerts())
        .uid("alerts-sink")
        .name("alerts sink");
    // The fast path of live questions: their own async operator on the same model (one service
    // per TaskManager, where questions go ahead of queued window work), unordered so one slow
    // answer holds back no other, and a stateless map to Answer: no keyed emitter, no checkpoint
    // wait (the answers sink is at-least-once, readers dedupe by query id).
    AsyncDataStream.unorderedWait(
            tasks.getSideOutput(CameraRouter.QUESTIONS),
            InferenceAsyncFunction.forQuestions(models, config, io.frames()),
            config.inference().timeout().toMillis(),
            TimeUnit.MILLISECONDS,
            config.inference().asyncCapacity())
        .uid("question-inference")
        .name("question inference (fast path)")
        .map(new Answers())
        .uid("answers")
        .name("answers")
        .union(DigestStage.pastAnswers(config, models, summaries, aboutThePast))
        .sinkTo(io.answers())
        .uid("answers-sink")
        .name("answers sink");
    if (config.digests().enabled()) {
      // A digest counts events, not their records: only the record that opens one.
      DataStream<Alert> eventStarts =
          summaries
              .getSideOutput(OutcomeEmitter.ALERTS)
              .filter(AlertRecords::opens)
              .uid("alert-event-starts")
              .name("alert event starts");
      DigestStage.build(config, models, frames, summaries, eventStarts)
          .sinkTo(io.digests())
          .uid("digests-sink")
          .name("digests sink");
    }
    DataStream<DeadLetter> dead =
        frames
            .getSideOutput(RejectionSplitters.DEAD_LETTERS)
            .union(
                rules.getSideOutput(RejectionSplitters.DEAD_LETTERS),
                queries.getSideOutput(RejectionSplitters.DEAD_LETTERS),
                // Keyframes behind their camera's watermark or from the future are not summarised;
                // they are dead-lettered by reference so they never disappear silently.
                closed.getSideOutput(RejectionSplitters.DEAD_LETTERS),
                // Windows none of whose keyframe images could be read back (topic deleted).
                outcomes.getSideOutput(RejectionSplitters.DEAD_LETTERS));
    dead.sinkTo(io.deadLetters()).uid("dead-letters-sink").name("dead-letters sink");
  }

  /** Builds and starts the job without waiting for it (MiniCluster or remote env). */
  public JobClient start(StreamExecutionEnvironment env, String name) throws Exception {
    build(env);
    return env.executeAsync(name);
  }
}
