package io.streamsight.vlm.operator.config;

/** The jobs a model does, each routed to its own list of models ({@link TaskModels}). */
public enum ModelTask {
  /** Describing each closed window (vlm.summaries). */
  SUMMARIES("summaries"),
  /** Scoring alert rules on each window so far (the screening model of a cascade). */
  RULES("rules"),
  /** Live questions (vlm.queries about now). */
  QUESTIONS("questions"),
  /** Questions about the past, answered from the summaries (text only). */
  PAST_QUESTIONS("pastQuestions"),
  /** Digest narratives (text only). */
  NARRATIVES("narratives");

  private final String key;

  ModelTask(String key) {
    this.key = key;
  }

  /** Its key under {@code tasks:} and {@code cameras[].tasks:}. */
  public String key() {
    return key;
  }
}
