package io.streamsight.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.HttpError;
import io.streamsight.console.http.Router;
import io.streamsight.console.live.LiveState;
import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.avro.FeedbackVerdict;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /api/alerts/{id}/feedback}: the operator's verdict on an alert event, to the
 * compacted {@code vlm.feedback} (key = event id), the same record as {@code streamsight alerts
 * feedback}. A write: it needs the console token like the console's other writes. The event's rule,
 * camera and p(yes) come from the console's recent alerts; an event it no longer holds is refused
 * (404) rather than recorded without a rule.
 */
final class FeedbackWrites {
  private static final AvroCodec<Feedback> CODEC = AvroCodec.of(Feedback.class);
  static final int MAX_NOTE_CHARS = 1000;

  private final ConsoleWrites writes;
  private final LiveState state;

  FeedbackWrites(ConsoleWrites writes, LiveState state) {
    this.writes = writes;
    this.state = state;
  }

  void register(Router r) {
    r.post("/api/alerts/{id}/feedback", this::feedback);
  }

  private void feedback(Exchange ex) throws Exception {
    String id = ex.path("id");
    JsonNode body = ex.jsonBody();
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("verdict", "note", "author").contains(f)) {
        throw new HttpError(400, f, "unknown field " + f + " (verdict, note, author)");
      }
    }
    FeedbackVerdict verdict;
    try {
      verdict = FeedbackVerdict.valueOf(body.path("verdict").asText("").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "verdict", "verdict must be CORRECT or FALSE");
    }
    String note = body.hasNonNull("note") ? body.get("note").asText() : null;
    if (note != null && note.length() > MAX_NOTE_CHARS) {
      throw new HttpError(400, "note", "note is longer than " + MAX_NOTE_CHARS + " characters");
    }
    List<JsonNode> found = state.alerts(a -> id.equals(a.path("alertId").asText()), 50);
    if (found.isEmpty()) {
      throw new HttpError(404, "id", "no recent alert event " + id);
    }
    double peak = Double.NaN;
    for (JsonNode a : found) {
      double p = a.path("peakPYes").isNumber() ? a.path("peakPYes").asDouble() : Double.NaN;
      p =
          Double.isNaN(p)
              ? a.path("pYes").asDouble(Double.NaN)
              : Math.max(p, a.path("pYes").asDouble());
      peak = Double.isNaN(peak) ? p : Math.max(peak, p);
    }
    JsonNode a = found.get(0);
    Feedback f =
        Feedback.newBuilder()
            .setEventId(id)
            .setRuleId(a.path("ruleId").asText())
            .setCameraId(a.path("cameraId").asText())
            .setVerdict(verdict)
            .setNote(note)
            .setPYes(Double.isNaN(peak) ? null : peak)
            .setCreatedMicros(System.currentTimeMillis() * 1000)
            .setAuthor(body.hasNonNull("author") ? body.get("author").asText() : "console")
            .build();
    writes.send(Topics.FEEDBACK.name(), id, CODEC.encode(f));
    ex.json(200, Exchange.object().put("stored", id).put("verdict", verdict.name()));
  }
}
