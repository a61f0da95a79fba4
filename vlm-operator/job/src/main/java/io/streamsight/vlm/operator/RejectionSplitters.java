package io.streamsight.vlm.operator;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import io.streamsight.vlm.operator.metrics.CameraMetrics;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.KeyframeIn;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.Rejected;
import io.streamsight.vlm.operator.types.RuleChange;
import io.streamsight.vlm.operator.types.TaskFinish;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Splits rejected input records off to the dead-letter side output, passing the good ones on. */
final class RejectionSplitters {
  static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", AvroTypeInfo.forClass(DeadLetter.class));
  private static final Logger LOG = LoggerFactory.getLogger(RejectionSplitters.class);

  private RejectionSplitters() {}

  /** A splitter counting what it dead-letters ({@code streamsight.input.<input>.deadLetters}). */
  abstract static class Counting<I, O> extends ProcessFunction<I, O> {
    private static final long serialVersionUID = 1L;
    private final String input;
    transient Counter deadLetters;

    Counting(String input) {
      this.input = input;
    }

    @Override
    public void open(OpenContext ctx) {
      deadLetters =
          getRuntimeContext()
              .getMetricGroup()
              .addGroup("streamsight")
              .addGroup("input", input)
              .counter("deadLetters");
    }
  }

  static void reject(Rejected r, ProcessFunction<?, ?>.Context ctx, Counter counted) {
    counted.inc();
    reject(r, ctx);
  }

  static void reject(Rejected r, ProcessFunction<?, ?>.Context ctx) {
    LOG.warn(
        "Dead-lettering {}[{}]@{}: {}: {}",
        r.topic(),
        r.partition(),
        r.offset(),
        r.errorClass(),
        r.errorMessage());
    ctx.output(
        DEAD_LETTERS, r.toDeadLetter(KafkaOperatorIo.STAGE, System.currentTimeMillis() * 1000));
  }

  /**
   * A keyframe the windows refused (late, from the future), referenced by topic/partition/offset
   * rather than copied: the original record stays readable on its topic.
   */
  static DeadLetter byReference(FrameRef f, String errorClass, String why) {
    return new Rejected(
            f.topic(),
            f.partition(),
            f.offset(),
            f.cameraId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
            null,
            errorClass,
            why)
        .toDeadLetter(KafkaOperatorIo.STAGE, System.currentTimeMillis() * 1000);
  }

  static final class Keyframes extends Counting<KeyframeIn, FrameRef> {
    private static final long serialVersionUID = 1L;

    Keyframes() {
      super("keyframes");
    }

    @Override
    public void processElement(KeyframeIn in, Context ctx, Collector<FrameRef> out) {
      if (in.rejected() != null) {
        reject(in.rejected(), ctx, deadLetters);
      } else {
        out.collect(in.frame());
      }
    }
  }

  /**
   * A summary none of whose keyframe images could be read (see {@link
   * io.streamsight.vlm.operator.inference.InferenceAsyncFunction}) is dead-lettered, by reference
   * of its first frame and with the reason for each, instead of becoming an empty summary. Scores
   * of a window so far without images are dropped (counted and logged by inference; the window's
   * summary reports it); a question gets its answer with the error.
   */
  static final class Outcomes extends Counting<InferenceOutcome, InferenceOutcome> {
    private static final long serialVersionUID = 1L;
    private transient CameraMetrics cameras;

    Outcomes() {
      super("outcomes");
    }

    @Override
    public void open(OpenContext ctx) {
      super.open(ctx);
      cameras = new CameraMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(InferenceOutcome o, Context ctx, Collector<InferenceOutcome> out) {
      InferenceTask t = o.task();
      count(t, o.finish());
      if (o.finish() != TaskFinish.FRAMES_UNAVAILABLE || t.isQuery()) {
        out.collect(o);
        return;
      }
      if (!t.isSummary() || t.window().frames().length == 0) {
        return;
      }
      String why =
          "window ["
              + t.window().windowStartMicros()
              + ", "
              + t.window().windowEndMicros()
              + ") us of camera "
              + t.cameraId()
              + " not summarised: "
              + o.error();
      LOG.warn("Dead-lettering {}", why);
      deadLetters.inc();
      ctx.output(DEAD_LETTERS, byReference(t.window().frames()[0], "FramesUnavailable", why));
    }

    /**
     * Per camera: windows summarised (the model described a closed window), windows shed (inference
     * behind event time by more than its budget), and failed model calls of any task.
     */
    private void count(InferenceTask t, TaskFinish finish) {
      if (finish == TaskFinish.SHED) {
        cameras.counter(t.cameraId(), "windowsShed").inc();
      } else if (finish == TaskFinish.ERROR) {
        cameras.counter(t.cameraId(), "inferenceErrors").inc();
      } else if (t.isSummary() && (finish == TaskFinish.STOP || finish == TaskFinish.MAX_TOKENS)) {
        cameras.counter(t.cameraId(), "windowsSummarised").inc();
      }
    }
  }

  /**
   * Valid rules pass; so does a rule whose {@code verifyWith} names a model of this job. One that
   * names another model is dead-lettered with the names there are: it could never alert (its
   * verifier cannot be asked), and silently alerting unverified would defeat its purpose.
   */
  static final class Rules extends Counting<RuleChange, RuleChange> {
    private static final long serialVersionUID = 1L;
    private final java.util.List<String> models;

    Rules(java.util.Collection<String> models) {
      super("rules");
      this.models = java.util.List.copyOf(models);
    }

    @Override
    public void processElement(RuleChange in, Context ctx, Collector<RuleChange> out) {
      if (in.rejected() != null) {
        reject(in.rejected(), ctx, deadLetters);
        return;
      }
      String verifier = in.rule() == null ? null : in.rule().verifyWith();
      if (verifier != null && !models.contains(verifier)) {
        String why =
            "rule "
                + in.ruleId()
                + ": verifyWith '"
                + verifier
                + "' is not a model of this job; models: "
                + String.join(", ", models);
        LOG.warn("Dead-lettering {}", why);
        deadLetters.inc();
        ctx.output(
            DEAD_LETTERS,
            // The rule's position is not kept past its deserializer: the key names the record.
            new Rejected(
                    io.streamsight.schemas.topics.Topics.RULES.name(),
                    -1,
                    -1,
                    in.ruleId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    null,
                    "UnknownModel",
                    why)
                .toDeadLetter(KafkaOperatorIo.STAGE, System.currentTimeMillis() * 1000));
        return;
      }
      out.collect(in);
    }
  }

  static final class Queries extends Counting<QueryIn, QueryIn> {
    private static final long serialVersionUID = 1L;

    Queries() {
      super("queries");
    }

    @Override
    public void processElement(QueryIn in, Context ctx, Collector<QueryIn> out) {
      if (in.rejected() != null) {
        reject(in.rejected(), ctx, deadLetters);
      } else {
        out.collect(in);
      }
    }
  }
}
