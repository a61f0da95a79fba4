package io.streamsight.vlm.prompt;

/** A request whose prompt (plus requested new tokens) exceeds the model's context. Bad input. */
public class PromptTooLongException extends RuntimeException {
  public PromptTooLongException(int tokens, int limit) {
    super("prompt needs " + tokens + " tokens, the model's limit is " + limit);
  }
}
