package io.streamsight.schemas.validation;

/**
 * The camera glob grammar of alert rules: camera-id characters ({@link CameraIds#isIdChar}) match
 * themselves, {@code *} matches any run of characters (also none), {@code ?} exactly one; nothing
 * else (no classes, no escapes), at most {@value #MAX_LENGTH} characters. Examples: {@code cam-7},
 * {@code cam-*}, {@code door-?}, {@code *}.
 *
 * <p>Matching is a two-pointer scan that backtracks only to the last {@code *}: O(glob × id) in the
 * worst case, with no compiled pattern, so there is no cache to grow and no regular expression a
 * hostile glob could make backtrack exponentially.
 */
public final class CameraGlob {
  public static final int MAX_LENGTH = 128;

  private CameraGlob() {}

  /** Why {@code glob} is not a camera glob, or null when it is one. */
  public static String problem(String glob) {
    if (glob == null || glob.isEmpty()) {
      return "camera glob is empty";
    }
    if (glob.length() > MAX_LENGTH) {
      return "camera glob is " + glob.length() + " characters long (at most " + MAX_LENGTH + ")";
    }
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c != '*' && c != '?' && !CameraIds.isIdChar(c)) {
        return "camera glob '"
            + Printable.of(glob)
            + "' has "
            + Printable.describe(c)
            + " at position "
            + i
            + " (use camera-id characters A-Z a-z 0-9 . _ - and the wildcards * and ?)";
      }
    }
    return null;
  }

  /**
   * Returns {@code glob} if it is a camera glob.
   *
   * @throws InvalidRecordException naming {@code field} and the problem
   */
  public static String check(String field, String glob) {
    String p = problem(glob);
    if (p != null) {
      throw new InvalidRecordException(field, p);
    }
    return glob;
  }

  /** Whether {@code cameraId} matches {@code glob} as a whole (not a substring search). */
  public static boolean matches(String glob, String cameraId) {
    int g = 0;
    int s = 0;
    int star = -1; // position in glob just after the last '*'
    int resume = 0; // position in id that '*' has consumed up to
    while (s < cameraId.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == cameraId.charAt(s))) {
        g++;
        s++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        star = ++g;
        resume = s;
      } else if (star >= 0) {
        g = star;
        s = ++resume;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}
