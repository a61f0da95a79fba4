package io.streamsight.schemas.validation;

/**
 * Renders untrusted text for an error message: bounded in length, control characters escaped, so a
 * hostile value cannot flood a log line or forge one (log injection through a newline).
 */
final class Printable {
  private static final int MAX = 80;

  private Printable() {}

  static String of(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < MAX; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return s.length() > MAX ? b + "..." : b.toString();
  }

  static String describe(char c) {
    return Character.isISOControl(c) || Character.isWhitespace(c)
        ? String.format("character U+%04X", (int) c)
        : "'" + c + "'";
  }
}
