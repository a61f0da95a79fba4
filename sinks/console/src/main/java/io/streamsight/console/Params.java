package io.streamsight.console;

import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.HttpError;
import io.streamsight.schemas.validation.CameraIds;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters of the read API, each checked with a 400 that names it. */
final class Params {
  private Params() {}

  static String cameraId(Exchange ex, String name) {
    String v = ex.query(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    String p = CameraIds.problem(v);
    if (p != null) {
      throw new HttpError(400, name, name + ": " + p);
    }
    return v;
  }

  /** An ISO-8601 instant ({@code 2026-11-27T10:00:00Z}) as µs since the epoch, or null. */
  static Long instantMicros(Exchange ex, String name) {
    String v = ex.query(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      Instant t = Instant.parse(v);
      return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    } catch (DateTimeParseException e) {
      throw new HttpError(
          400, name, name + ": '" + shorten(v) + "' is not an instant like 2026-11-27T10:00:00Z");
    }
  }

  static int limit(Exchange ex, int dflt, int max) {
    String v = ex.query("limit");
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new HttpError(400, "limit", "limit: '" + shorten(v) + "' is not between 1 and " + max);
  }

  static String shorten(String v) {
    String s = v.length() > 40 ? v.substring(0, 40) + "..." : v;
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
