package io.streamsight.vlm.operator;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;

/**
 * Turns the outcome of a question into its {@link Answer}: one distinct status per case, the frames
 * it looked at and how old the newest was when the question was asked ({@code frameAgeMicros}).
 * Stateless: answers are written at once, at-least-once, and readers dedupe by query id.
 *
 * <ul>
 *   <li>{@code ANSWERED}: from a window holding a frame captured at most {@code ask.freshness}
 *       before the question (or after it);
 *   <li>{@code OFFLINE}: no such frame came within {@code ask.freshFrameWait}: answered from the
 *       camera's newest frame, and the text says how old it is;
 *   <li>{@code UNKNOWN_CAMERA}: no frame from the camera at all;
 *   <li>{@code EXPIRED}: the question's deadline passed before the model was asked;
 *   <li>{@code ERROR}: inference failed (the text says why).
 * </ul>
 */
public final class Answers extends RichMapFunction<InferenceOutcome, Answer>
    implements ResultTypeQueryable<Answer> {
  private static final long serialVersionUID = 1L;
  // streamsight.status.<status>.answers: one counter per status, registered up front.
  private transient Map<AnswerStatus, Counter> byStatus;

  @Override
  public void open(OpenContext ctx) {
    byStatus = new EnumMap<>(AnswerStatus.class);
    var g = getRuntimeContext().getMetricGroup().addGroup("streamsight");
    for (AnswerStatus s : AnswerStatus.values()) {
      byStatus.put(s, g.addGroup("status", s.name().toLowerCase(Locale.ROOT)).counter("answers"));
    }
  }

  @Override
  public Answer map(InferenceOutcome o) {
    Answer a = of(o);
    if (byStatus != null) {
      byStatus.get(a.getStatus()).inc();
    }
    return a;
  }

  @Override
  public TypeInformation<Answer> getProducedType() {
    return AvroTypeInfo.forClass(Answer.class);
  }

  public static Answer of(InferenceOutcome o) {
    InferenceTask task = o.task();
    QueryIn q = task.query();
    Answer.Builder a =
        Answer.newBuilder()
            .setQueryId(q.queryId())
            .setCameraId(q.cameraId())
            .setQuestion(q.question())
            .setAskedMicros(q.createdMicros())
            .setAnsweredMicros(o.completedMicros());
    WindowFrames w = task.window();
    if (o.finish() == TaskFinish.UNKNOWN_CAMERA || w == null) {
      return a.setStatus(AnswerStatus.UNKNOWN_CAMERA)
          .setText("No keyframes have been seen from camera '" + q.cameraId() + "'.")
          .build();
    }
    long age = q.createdMicros() - w.newestCaptureMicros();
    a.setWindowStartMicros(w.windowStartMicros())
        .setWindowEndMicros(w.windowEndMicros())
        .setKeyframes(w.refs())
        .setFrameAgeMicros(age)
        .setModelId(o.modelId())
        .setTimings(o.timings().toAvro());
    if (o.finish() == TaskFinish.EXPIRED) {
      return a.setStatus(AnswerStatus.EXPIRED)
          .setText("The question's deadline passed before it was answered.")
          .build();
    }
    if (o.error() != null) {
      return a.setStatus(AnswerStatus.ERROR).setText("Inference failed: " + o.error()).build();
    }
    if (task.stale()) {
      return a.setStatus(AnswerStatus.OFFLINE)
          .setText(
              "No new frame from camera '"
                  + q.cameraId()
                  + "' since the question (offline?); its newest frame was taken "
                  + seconds(age)
                  + " before the question: "
                  + o.text())
          .build();
    }
    return a.setStatus(AnswerStatus.ANSWERED).setText(o.text()).build();
  }

  /** "42.0 s" */
  static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.1f s", micros / 1e6);
  }
}
