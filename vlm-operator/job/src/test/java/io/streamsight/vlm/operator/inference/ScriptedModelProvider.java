package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.ScoreMethod;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.Timings;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.util.List;

/**
 * A stand-in model at the far edge, for routing and cascade tests: every SCORE is {@code pYes}
 * (read as {@code method}), every DESCRIBE or ASK answers {@code text}, each result reports {@code
 * tokens} prompt tokens and one completion token; or, when {@code down}, every run throws {@link
 * ModelUnavailableException} as a dead server's client does.
 *
 * @param key also its model id, so outcomes say which model answered
 */
public record ScriptedModelProvider(
    String key, double pYes, String text, ScoreMethod method, int tokens, boolean down)
    implements ModelProvider {

  public static ScriptedModelProvider scoring(String key, double pYes, String text) {
    return new ScriptedModelProvider(key, pYes, text, ScoreMethod.LOGPROBS, 10, false);
  }

  public static ScriptedModelProvider unavailable(String key) {
    return new ScriptedModelProvider(key, 0, "", ScoreMethod.LOGPROBS, 0, true);
  }

  @Override
  public VisionLanguageModel open() {
    return new VisionLanguageModel() {
      @Override
      public String modelId() {
        return key;
      }

      @Override
      public List<VlmResult> run(List<VlmRequest> requests) {
        if (down) {
          throw new ModelUnavailableException(key, "connection refused (test double)");
        }
        Timings t = new Timings(0, 0, 0, 0, 0, 0, 0, requests.size());
        return requests.stream()
            .map(
                r ->
                    r.task() == Task.SCORE
                        ? new VlmResult(
                            "", new long[0], pYes, tokens, 1, FinishReason.SCORED, t, null, method)
                        : new VlmResult(
                            text, new long[0], Double.NaN, tokens, 1, FinishReason.STOP, t, null))
            .toList();
      }

      @Override
      public void close() {}
    };
  }
}
