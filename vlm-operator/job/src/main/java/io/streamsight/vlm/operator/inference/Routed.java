package io.streamsight.vlm.operator.inference;

/**
 * A request's end after routing ({@link ModelPool#submit}): the model that took it (or the last one
 * tried), and how it ended there.
 *
 * @param model the model's declared name
 * @param modelId the model's own id ({@code VisionLanguageModel#modelId})
 */
public record Routed(String model, String modelId, Completion completion) {
  public boolean shed() {
    return completion.shed();
  }

  public boolean unavailable() {
    return completion.isUnavailable();
  }
}
