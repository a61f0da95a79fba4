package io.streamsight.schemas.validation;

/**
 * A value that decoded fine but breaks a rule of its record (an empty question, a camera id with a
 * slash, a threshold of 1.5). Never retriable: stages dead-letter the record with {@link
 * #getMessage()}, which names the field and the problem; the CLI turns it into a usage error.
 */
public final class InvalidRecordException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String problem;

  public InvalidRecordException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** What is wrong, without the field name (for callers that name the field their own way). */
  public String problem() {
    return problem;
  }

  /** The offending field, as the record or option names it. */
  public String field() {
    return field;
  }
}
