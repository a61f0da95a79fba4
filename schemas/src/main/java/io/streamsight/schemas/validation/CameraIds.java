package io.streamsight.schemas.validation;

/**
 * The one grammar of camera ids, checked at every boundary a camera id crosses (ingest config,
 * sampler input, operator input, {@code ask}, rule globs): 1 to {@value #MAX_LENGTH} characters of
 * {@code [A-Za-z0-9._-]}. Ids are Kafka keys, state keys, log text and file-name-like labels, so
 * the charset keeps them free of separators, control characters and look-alike Unicode, and the
 * length bounds the state and log space one id can take.
 */
public final class CameraIds {
  /** What ingest has always accepted; kept so no existing camera config is refused. */
  public static final int MAX_LENGTH = 128;

  private CameraIds() {}

  /** True for characters a camera id may contain. */
  public static boolean isIdChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  /** Why {@code id} is not a camera id, or null when it is one. */
  public static String problem(String id) {
    return problem("camera id", id);
  }

  /** The same grammar for other ids that travel as keys and log text (rule and query ids). */
  static String problem(String kind, String id) {
    if (id == null || id.isEmpty()) {
      return kind + " is empty";
    }
    if (id.length() > MAX_LENGTH) {
      return kind + " is " + id.length() + " characters long (at most " + MAX_LENGTH + ")";
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isIdChar(id.charAt(i))) {
        return kind
            + " '"
            + Printable.of(id)
            + "' has "
            + Printable.describe(id.charAt(i))
            + " at position "
            + i
            + " (use only A-Z a-z 0-9 . _ -)";
      }
    }
    return null;
  }

  public static boolean isValid(String id) {
    return problem(id) == null;
  }

  /**
   * Returns {@code id} if it is a camera id.
   *
   * @throws InvalidRecordException naming {@code field} and the problem
   */
  public static String check(String field, String id) {
    String p = problem(id);
    if (p != null) {
      throw new InvalidRecordException(field, p);
    }
    return id;
  }
}
