package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.ModelProvider;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.types.FrameRef;
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
      ModelProvider model,
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
}
