package io.streamsight.schemas.json;

/**
 * A JSON value that does not fit the Avro schema, naming the field (a path such as {@code
 * features.thumbnail} or {@code evidence[2].offset}; empty for the whole record) and the problem.
 */
public final class AvroJsonException extends IllegalArgumentException {
  private final String field;
  private final String problem;

  public AvroJsonException(String field, String problem) {
    this(field, problem, null);
  }

  public AvroJsonException(String field, String problem, Throwable cause) {
    super(field.isEmpty() ? problem : "field " + field + ": " + problem, cause);
    this.field = field;
    this.problem = problem;
  }

  /** The field path, empty when the problem is the record itself (e.g. not a JSON object). */
  public String field() {
    return field;
  }

  public String problem() {
    return problem;
  }
}
