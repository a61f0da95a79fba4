package io.streamsight.console.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.console.ConsoleConfig;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.CameraIds;
import io.streamsight.schemas.validation.InvalidRecordException;
import io.streamsight.schemas.validation.RecordChecks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What the console knows from the topics, in memory and bounded: per camera its status, latest
 * keyframe and its recent summaries; the recent feed of summaries and alerts; recent alerts; the
 * current rules (the compacted topic replayed); recent answers. Everything older is the archive's.
 * Each change is also handed to the listeners (the live streams) as a {@link LiveEvent}.
 *
 * <p>Bounded twice: by record counts per list, and by bytes ({@link RetainedRecords}: the oldest
 * records go first beyond {@code liveStateBytes}); a record larger than {@code maxRecordBytes} is
 * counted and neither kept nor streamed. Camera, query and rule ids must follow the camera-id
 * grammar ({@link CameraIds}) and rules pass {@link RecordChecks}: anything else is counted, not
 * shown, so a flood of made-up ids or megabyte keys cannot grow the heap or reach the page.
 *
 * <p>One lock guards it all: updates come from two follower threads at the rate of the output
 * topics (a few records per second per camera) and reads copy small lists, so contention is not a
 * concern at this scale.
 */
public final class LiveState {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int ANSWERS_KEPT = 1000;
  private static final int RULES_KEPT = 10_000;

  /** Receives every change; returns false to be removed (a stream that fell behind or closed). */
  @FunctionalInterface
  public interface Listener {
    boolean offer(LiveEvent e);
  }

  private static final class Camera {
    final String id;
    JsonNode status;
    JsonNode keyframe;
    final Deque<JsonNode> summaries = new ArrayDeque<>();

    Camera(String id) {
      this.id = id;
    }
  }

  private final ConsoleConfig config;
  private final Map<String, Camera> cameras = new TreeMap<>();
  private final Deque<JsonNode> feed = new ArrayDeque<>();
  private final Deque<JsonNode> alerts = new ArrayDeque<>();
  private final Map<String, JsonNode> rules = new TreeMap<>();
  private final Map<String, JsonNode> answers = new LinkedHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong camerasRefused = new AtomicLong();
  private final AtomicLong invalidIds = new AtomicLong();
  private final AtomicLong tooLarge = new AtomicLong();
  private final RetainedRecords retained;

  public LiveState(ConsoleConfig config) {
    this.config = config;
    this.retained = new RetainedRecords(config.serving().liveStateBytes());
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  public void removeListener(Listener l) {
    listeners.remove(l);
  }

  /** Applies one decoded record of {@code topic} ({@code value} null = tombstone). */
  public void apply(String topic, int partition, long offset, String key, Object value) {
    LiveEvent event;
    synchronized (this) {
      event = update(topic, partition, offset, key, value);
    }
    if (event != null) {
      for (Listener l : listeners) {
        if (!l.offer(event)) {
          listeners.remove(l);
        }
      }
    }
  }

  private LiveEvent update(String topic, int partition, long offset, String key, Object value) {
    if (topic.equals(Topics.RULES.name())) {
      return rule(key, (AlertRule) value);
    }
    if (value == null) {
      return null; // tombstones mean nothing on the other topics
    }
    if (value instanceof Answer a) {
      if (!valid(a.getQueryId())) {
        return null;
      }
      JsonNode json = AvroJson.toJson(a);
      LiveEvent e = sized(new LiveEvent("answer", json));
      if (e != null) {
        RetainedRecords.Entry r = retained.entry(e.frame().length);
        String id = a.getQueryId();
        JsonNode old = answers.put(id, json);
        if (old != null) {
          retained.released(old);
        }
        retained.hold(r, json, () -> answers.remove(id, json));
        for (Iterator<JsonNode> it = answers.values().iterator(); answers.size() > ANSWERS_KEPT; ) {
          retained.released(it.next());
          it.remove();
        }
        retained.enforce();
      }
      return e;
    }
    if (value instanceof Summary s) {
      Camera c = camera(s.getCameraId());
      if (c == null && !CameraIds.isValid(s.getCameraId())) {
        return null;
      }
      JsonNode json = AvroJson.toJson(s);
      LiveEvent e = sized(new LiveEvent("summary", json));
      if (e != null) {
        RetainedRecords.Entry r = retained.entry(e.frame().length);
        if (c != null) {
          push(c.summaries, json, config.recentPerCamera(), r);
        }
        push(feed, feedItem("summary", json), config.feedSize(), r);
      }
      return e;
    }
    if (value instanceof Alert a) {
      if (camera(a.getCameraId()) == null && !CameraIds.isValid(a.getCameraId())) {
        return null;
      }
      JsonNode json = AvroJson.toJson(a);
      LiveEvent e = sized(new LiveEvent("alert", json));
      if (e != null) {
        RetainedRecords.Entry r = retained.entry(e.frame().length);
        push(alerts, json, config.alertsKept(), r);
        push(feed, feedItem("alert", json), config.feedSize(), r);
      }
      return e;
    }
    if (value instanceof CameraStatus s) {
      Camera c = camera(s.getCameraId());
      if (c == null) {
        return null;
      }
      JsonNode json = AvroJson.toJson(s);
      LiveEvent e = sized(new LiveEvent("status", json));
      if (e != null) {
        c.status = json; // one per camera: bounded by maxCameras x maxRecordBytes
      }
      return e;
    }
    if (value instanceof Keyframe k) {
      Camera c = camera(k.getCameraId());
      if (c == null) {
        return null;
      }
      ObjectNode ref =
          F.objectNode()
              .put("topic", topic)
              .put("partition", partition)
              .put("offset", offset)
              .put("captureTimeMicros", k.getCaptureTimeMicros())
              .put("sequence", k.getSequence());
      c.keyframe = ref;
      return new LiveEvent("keyframe", F.objectNode().put("cameraId", c.id).set("keyframe", ref));
    }
    return null;
  }

  /** A rule as the operator would take it, or its tombstone; invalid ones are counted. */
  private LiveEvent rule(String key, AlertRule value) {
    if (!valid(key)) {
      return null;
    }
    if (value == null) {
      rules.remove(key);
    } else {
      try {
        RecordChecks.alertRule(key, value);
      } catch (InvalidRecordException e) {
        invalidIds.incrementAndGet(); // the operator dead-letters it: the page does not show it
        return null;
      }
      if (!rules.containsKey(key) && rules.size() >= RULES_KEPT) {
        invalidIds.incrementAndGet(); // a flood of rule ids: counted with the invalid records
        return null;
      }
      rules.put(key, AvroJson.toJson(value));
    }
    ObjectNode data = F.objectNode().put("id", key);
    data.set("rule", rules.get(key));
    return new LiveEvent("rule", data);
  }

  private boolean valid(String id) {
    if (CameraIds.isValid(id)) {
      return true;
    }
    invalidIds.incrementAndGet();
    return false;
  }

  /** {@code e}, or null (counted) when its record is larger than {@code maxRecordBytes}. */
  private LiveEvent sized(LiveEvent e) {
    if (e.frame().length > config.serving().maxRecordBytes()) {
      tooLarge.incrementAndGet();
      return null;
    }
    return e;
  }

  /** The camera's entry, created on first sight unless {@link ConsoleConfig#maxCameras} is hit. */
  private Camera camera(String id) {
    Camera c = cameras.get(id);
    if (c == null) {
      if (!valid(id)) {
        return null;
      }
      if (cameras.size() >= config.maxCameras()) {
        camerasRefused.incrementAndGet();
        return null;
      }
      c = new Camera(id);
      cameras.put(id, c);
    }
    return c;
  }

  /** Puts {@code item} (holding {@code record}) first in {@code d}, within its count and bytes. */
  private void push(Deque<JsonNode> d, JsonNode item, int cap, RetainedRecords.Entry r) {
    d.addFirst(item);
    retained.hold(r, item, () -> d.removeIf(n -> n == item));
    while (d.size() > cap) {
      retained.released(d.removeLast());
    }
    retained.enforce();
  }

  private static JsonNode feedItem(String type, JsonNode record) {
    return F.objectNode().put("type", type).set("record", record);
  }

  /** The live page's start: every camera's tile and the feed, newest first. */
  public synchronized ObjectNode snapshot() {
    ObjectNode out = F.objectNode();
    var list = out.putArray("cameras");
    for (Camera c : cameras.values()) {
      list.add(tile(c));
    }
    out.putArray("feed").addAll(feed);
    return out;
  }

  private static ObjectNode tile(Camera c) {
    ObjectNode t = F.objectNode().put("cameraId", c.id);
    t.set("status", c.status);
    t.set("summary", c.summaries.peekFirst());
    t.set("keyframe", c.keyframe);
    return t;
  }

  /** One camera's page: tile, recent summaries and alerts (newest first); null when unknown. */
  public synchronized ObjectNode camera(String id, int alertLimit) {
    Camera c = cameras.get(id);
    if (c == null) {
      return null;
    }
    ObjectNode out = tile(c);
    out.putArray("summaries").addAll(c.summaries);
    out.putArray("alerts").addAll(alerts(a -> id.equals(a.path("cameraId").asText()), alertLimit));
    return out;
  }

  /** Recent alerts matching {@code filter}, newest first, at most {@code limit}. */
  public synchronized List<JsonNode> alerts(Predicate<JsonNode> filter, int limit) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : alerts) {
      if (out.size() >= limit) {
        break;
      }
      if (filter.test(a)) {
        out.add(a);
      }
    }
    return out;
  }

  public synchronized List<JsonNode> rules() {
    return List.copyOf(rules.values());
  }

  public synchronized JsonNode rule(String id) {
    return rules.get(id);
  }

  public synchronized JsonNode answer(String queryId) {
    return answers.get(queryId);
  }

  public synchronized int cameraCount() {
    return cameras.size();
  }

  /** Records of cameras beyond {@link ConsoleConfig#maxCameras} that were not shown. */
  public long camerasRefused() {
    return camerasRefused.get();
  }

  /**
   * Records not shown because a camera, query or rule id (or the rule) was invalid, or because
   * 10,000 rules were held already.
   */
  public long invalidRecords() {
    return invalidIds.get();
  }

  /** Records not shown because they were larger than {@code maxRecordBytes}. */
  public long recordsTooLarge() {
    return tooLarge.get();
  }

  /** Bytes (as JSON) of the records kept now. */
  public synchronized long retainedBytes() {
    return retained.bytes();
  }

  /** Records forgotten early to stay within {@code liveStateBytes}. */
  public synchronized long evictedForBytes() {
    return retained.evicted();
  }
}
