package io.streamsight.vlm.api;

import java.util.List;

/**
 * A loaded vision-language model. The one contract between the VLM engine and everything that uses
 * it (the Flink operator, the CLI, benchmarks). Implementations are thread-safe.
 *
 * <p>Errors of one request come back as a result with {@link FinishReason#ERROR} (a generation
 * result carries its finish reason instead of throwing); only a broken model throws.
 */
public interface VisionLanguageModel extends AutoCloseable {

  /** e.g. {@code HuggingFaceTB/SmolVLM-256M-Instruct} or the model directory name. */
  String modelId();

  /**
   * Runs several requests, of any tasks and lengths, batching them into as few session runs as the
   * engine can (padding and masks). Results come back in request order.
   */
  List<VlmResult> run(List<VlmRequest> requests);

  default VlmResult describe(List<byte[]> images, String instruction, GenerationOptions options) {
    return run(List.of(new VlmRequest(Task.DESCRIBE, images, instruction, options))).get(0);
  }

  default VlmResult ask(List<byte[]> images, String question, GenerationOptions options) {
    return run(List.of(new VlmRequest(Task.ASK, images, question, options))).get(0);
  }

  /** One prefill pass; {@link VlmResult#pYes()} = p("Yes") / (p("Yes") + p("No")). */
  default VlmResult score(List<byte[]> images, String yesNoQuestion, ImageBudget budget) {
    return run(List.of(
            new VlmRequest(Task.SCORE, images, yesNoQuestion, GenerationOptions.greedy(1, budget))))
        .get(0);
  }

  @Override
  void close();
}
