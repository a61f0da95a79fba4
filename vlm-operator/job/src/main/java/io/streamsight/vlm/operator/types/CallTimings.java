package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.vlm.api.VlmResult;

/** Timings of one model call as carried through the job (mirrors {@link InferenceTimings}). */
public record CallTimings(
    double queueMillis,
    double preprocessMillis,
    double visionMillis,
    double prefillMillis,
    double decodeMillis,
    double totalMillis,
    int batchSize,
    int imageTokensPerFrame,
    int promptTokens,
    int generatedTokens) {

  public static final CallTimings NONE = new CallTimings(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public static CallTimings of(VlmResult r, double queueMillis) {
    var t = r.timings();
    if (t == null) {
      return new CallTimings(
          queueMillis, 0, 0, 0, 0, 0, 1, 0, r.promptTokens(), r.generatedTokens());
    }
    return new CallTimings(
        queueMillis,
        t.preprocessMillis(),
        t.visionMillis(),
        t.prefillMillis(),
        t.decodeMillis(),
        t.totalMillis(),
        t.batchSize(),
        t.imageTokensPerFrame(),
        r.promptTokens(),
        r.generatedTokens());
  }

  public InferenceTimings toAvro() {
    return InferenceTimings.newBuilder()
        .setQueueMillis(queueMillis)
        .setPreprocessMillis(preprocessMillis)
        .setVisionMillis(visionMillis)
        .setPrefillMillis(prefillMillis)
        .setDecodeMillis(decodeMillis)
        .setTotalMillis(totalMillis)
        .setBatchSize(batchSize)
        .setImageTokensPerFrame(imageTokensPerFrame)
        .setPromptTokens(promptTokens)
        .setGeneratedTokens(generatedTokens)
        .build();
  }
}
