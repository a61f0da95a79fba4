package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.Models;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.QueryIn;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The digest branch of the operator job: summaries, alerts and the cameras' event time (from the
 * keyframe stream: keyframes and the sampler's progress records, as small ticks without images)
 * keyed by camera into {@link DigestFunction}, then, when configured, the model's narrative.
 */
public final class DigestStage {
  private DigestStage() {}

  public static DataStream<Digest> build(
      OperatorConfig config,
      Models model,
      DataStream<FrameRef> frames,
      DataStream<Summary> summaries,
      DataStream<Alert> alerts) {
    TypeInformation<DigestInput> type = TypeInformation.of(DigestInput.class);
    DataStream<DigestInput> in =
        summaries
            .map(DigestInput::of, type)
            .uid("digest-summaries")
            .name("summaries for digests")
            .union(
                alerts.map(DigestInput::of, type).uid("digest-alerts").name("alerts for digests"),
                frames.map(DigestInput::tick, type).uid("digest-ticks").name("camera time ticks"));
    DataStream<Digest> digests =
        in.keyBy(DigestInput::cameraId)
            .process(new DigestFunction(config), AvroTypeInfo.forClass(Digest.class))
            .uid("digests")
            .name("digests per camera");
    if (!config.digests().narrative()) {
      return digests;
    }
    return AsyncDataStream.orderedWait(
            digests,
            new NarrativeAsyncFunction(model, config),
            config.inference().timeout().toMillis(),
            TimeUnit.MILLISECONDS,
            config.inference().asyncCapacity())
        .uid("digest-narratives")
        .name("digest narratives");
  }

  /**
   * Questions about the past: the camera's summaries build its recent timeline ({@link
   * PastQuestions}), each question gets the events in its look back, and the model answers from
   * them in text-only mode ({@link PastAnswerAsyncFunction}), unordered, on the fast path. Without
   * digests ({@code digests.enabled: false}) each such question gets an ERROR answer saying so.
   */
  public static DataStream<Answer> pastAnswers(
      OperatorConfig config,
      Models model,
      DataStream<Summary> summaries,
      DataStream<QueryIn> questions) {
    if (!config.digests().enabled()) {
      return questions
          .map(
              q -> PastAnswers.digestsOff(q, System.currentTimeMillis() * 1000),
              AvroTypeInfo.forClass(Answer.class))
          .uid("past-answers-without-digests")
          .name("questions about the past (digests off)");
    }
    DataStream<PastQuestion> asked =
        summaries
            .map(DigestInput::of, TypeInformation.of(DigestInput.class))
            .uid("past-summaries")
            .name("summaries for questions about the past")
            .keyBy(DigestInput::cameraId)
            .connect(questions.keyBy(QueryIn::cameraId))
            .process(new PastQuestions(config), TypeInformation.of(PastQuestion.class))
            .uid("past-questions")
            .name("camera timelines for questions about the past");
    return AsyncDataStream.unorderedWait(
            asked,
            new PastAnswerAsyncFunction(model, config),
            config.inference().timeout().toMillis(),
            TimeUnit.MILLISECONDS,
            config.inference().asyncCapacity())
        .uid("past-answers")
        .name("answers about the past (text only)");
  }
}
