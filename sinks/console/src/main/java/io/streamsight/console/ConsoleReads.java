package io.streamsight.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.HttpError;
import io.streamsight.console.http.Lane;
import io.streamsight.console.http.Router;
import io.streamsight.console.live.KeyframeStore;
import io.streamsight.console.live.LiveState;
import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.search.SearchHit;
import io.streamsight.console.search.SearchRequest;
import io.streamsight.console.search.SearchUnavailableException;
import io.streamsight.console.subscriptions.SubscriptionView;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.console.subscriptions.SubscriptionsUnavailableException;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.CameraIds;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The read API: live snapshot, cameras, alerts, rules, answers, search, subscriptions, images. */
final class ConsoleReads {
  private static final int MAX_ALERTS = 1000;
  private static final Pattern THUMBNAIL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final LiveState state;
  private final KeyframeStore keyframes;
  private final SearchBackend search;
  private final SubscriptionsBackend subscriptions;

  ConsoleReads(
      LiveState state,
      KeyframeStore keyframes,
      SearchBackend search,
      SubscriptionsBackend subscriptions) {
    this.state = state;
    this.keyframes = keyframes;
    this.search = search;
    this.subscriptions = subscriptions;
  }

  void register(Router r) {
    r.get("/api/live", ex -> ex.json(200, state.snapshot()));
    r.get("/api/cameras/{id}", this::camera);
    r.get("/api/alerts", this::alerts);
    r.get("/api/rules", ex -> ex.json(200, list("rules", state.rules())));
    r.get("/api/questions/{id}", this::answer);
    // Heavy reads (disk, Kafka fetches, the Connect worker) on their own threads.
    r.get("/api/search", Lane.HEAVY, this::search);
    r.get("/api/subscriptions", Lane.HEAVY, this::subscriptions);
    r.get("/api/keyframes/{topic}/{partition}/{offset}", Lane.HEAVY, this::keyframe);
    r.get("/api/thumbnails/{id}", Lane.HEAVY, this::thumbnail);
  }

  private void camera(Exchange ex) throws Exception {
    String id = ex.path("id");
    if (!CameraIds.isValid(id)) {
      throw new HttpError(400, "id", CameraIds.problem(id));
    }
    ObjectNode c = state.camera(id, Params.limit(ex, 50, MAX_ALERTS));
    if (c == null) {
      throw new HttpError(404, "no records of camera " + id + " yet");
    }
    ex.json(200, c);
  }

  private void alerts(Exchange ex) throws Exception {
    String camera = Params.cameraId(ex, "camera");
    String rule = ex.query("rule");
    if (rule != null && !rule.isEmpty() && !CameraIds.isValid(rule)) {
      throw new HttpError(400, "rule", "rule: not a rule id");
    }
    Severity severity = severity(ex.query("severity"));
    Long since = Params.instantMicros(ex, "since");
    Long until = Params.instantMicros(ex, "until");
    int limit = Params.limit(ex, 200, MAX_ALERTS);
    Predicate<JsonNode> f =
        a ->
            (camera == null || camera.equals(a.path("cameraId").asText()))
                && (rule == null || rule.isEmpty() || rule.equals(a.path("ruleId").asText()))
                && (severity == null || severity.name().equals(a.path("severity").asText()))
                && (since == null || a.path("windowEndMicros").asLong() >= since)
                && (until == null || a.path("windowStartMicros").asLong() < until);
    ex.json(200, list("alerts", state.alerts(f, limit)));
  }

  private static Severity severity(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Severity.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpError(
          400,
          "severity",
          "severity: '" + Params.shorten(s) + "' is not one of " + List.of(Severity.values()));
    }
  }

  private void answer(Exchange ex) throws Exception {
    String id = ex.path("id");
    if (!CameraIds.isValid(id)) {
      throw new HttpError(400, "id", "not a query id");
    }
    JsonNode a = state.answer(id);
    ObjectNode out = Exchange.object().put("queryId", id);
    out.put("status", a == null ? "PENDING" : a.path("status").asText());
    out.set("answer", a);
    ex.json(200, out);
  }

  private void search(Exchange ex) throws Exception {
    String q = ex.query("q");
    if (q == null || q.isBlank()) {
      throw new HttpError(400, "q", "q: say what to search for");
    }
    if (q.codePointCount(0, q.length()) > SearchRequest.MAX_TEXT_CHARS) {
      throw new HttpError(
          400, "q", "q: longer than " + SearchRequest.MAX_TEXT_CHARS + " characters");
    }
    SearchRequest req =
        new SearchRequest(
            q.strip(),
            Params.cameraId(ex, "camera"),
            Params.instantMicros(ex, "since"),
            Params.instantMicros(ex, "until"),
            Params.limit(ex, 50, SearchRequest.MAX_LIMIT));
    List<SearchHit> hits;
    try {
      hits = search.search(req);
    } catch (SearchUnavailableException e) {
      throw new HttpError(503, e.getMessage());
    }
    ObjectNode out = Exchange.object().put("q", req.text());
    ArrayNode arr = out.putArray("hits");
    for (SearchHit h : hits) {
      ObjectNode o =
          arr.addObject()
              .put("kind", h.kind())
              .put("cameraId", h.cameraId())
              .put("windowStartMicros", h.windowStartMicros())
              .put("windowEndMicros", h.windowEndMicros())
              .put("text", h.text())
              .put("score", h.score());
      ArrayNode refs = o.putArray("keyframes");
      for (KeyframeRef k : h.keyframes()) {
        refs.add(AvroJson.toJson(k));
      }
      ArrayNode thumbs = o.putArray("thumbnails");
      for (String id : h.thumbnails()) {
        thumbs.add("/api/thumbnails/" + id);
      }
    }
    ex.json(200, out);
  }

  private void subscriptions(Exchange ex) throws Exception {
    List<SubscriptionView> subs;
    try {
      subs = subscriptions.list();
    } catch (SubscriptionsUnavailableException e) {
      throw new HttpError(503, e.getMessage());
    }
    ObjectNode out = Exchange.object();
    ArrayNode arr = out.putArray("subscriptions");
    for (SubscriptionView s : subs) {
      arr.addObject()
          .put("name", s.name())
          .put("kind", s.kind())
          .put("target", s.target())
          .put("state", s.state())
          .put("detail", s.detail());
    }
    ex.json(200, out);
  }

  private void keyframe(Exchange ex) throws Exception {
    if (!Topics.KEYFRAMES.name().equals(ex.path("topic"))) {
      throw new HttpError(404, "images are served from " + Topics.KEYFRAMES.name() + " only");
    }
    int partition;
    long offset;
    try {
      partition = Integer.parseInt(ex.path("partition"));
      offset = Long.parseLong(ex.path("offset"));
    } catch (NumberFormatException e) {
      throw new HttpError(400, "partition and offset must be numbers");
    }
    if (partition < 0 || offset < 0) {
      throw new HttpError(400, "partition and offset must not be negative");
    }
    KeyframeStore.Image img = keyframes.get(partition, offset);
    if (img == null) {
      throw new HttpError(404, "no keyframe image at " + partition + "@" + offset);
    }
    // An offset never changes what it holds: the browser may keep the image.
    ex.header("Cache-Control", "private, max-age=86400, immutable");
    ex.bytes(200, "image/jpeg", img.jpeg());
  }

  private void thumbnail(Exchange ex) throws Exception {
    String id = ex.path("id");
    // The backend checks its own id format; this only keeps odd strings out of it and of messages.
    if (!THUMBNAIL_ID.matcher(id).matches()) {
      throw new HttpError(400, "id", "id: not a thumbnail id");
    }
    Optional<byte[]> jpeg;
    try {
      jpeg = search.thumbnail(id);
    } catch (SearchUnavailableException e) {
      throw new HttpError(503, e.getMessage());
    }
    if (jpeg.isEmpty()) {
      throw new HttpError(404, "no archived thumbnail " + id);
    }
    // Thumbnail ids name one image for good (a re-indexed window rewrites the same bytes).
    ex.header("Cache-Control", "private, max-age=86400, immutable");
    ex.bytes(200, "image/jpeg", jpeg.get());
  }

  private static ObjectNode list(String name, List<JsonNode> items) {
    ObjectNode out = Exchange.object();
    out.putArray(name).addAll(items);
    return out;
  }
}
