package io.streamsight.sinks.connect.client;

import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.CameraGlob;
import java.util.List;
import java.util.Map;

/**
 * A subscription to add: where to deliver, what to deliver. Secrets are not part of it (they go to
 * a file the worker reads through its config provider), so a {@code Subscription} can be printed.
 *
 * @param id 1 to 64 of {@code A-Z a-z 0-9 . _ -}; also the connector's name
 * @param kind webhook or MQTT
 * @param target the webhook URL or the MQTT server URI
 * @param cameraGlob which cameras
 * @param minSeverity lowest alert severity
 * @param topics {@code vlm.alerts} and optionally {@code vlm.summaries}
 * @param allowPrivate allow a webhook on a private address
 * @param mqttUser MQTT user name, or empty
 * @param extra further connector settings (e.g. retry backoff), passed as they are
 */
public record Subscription(
    String id,
    Kind kind,
    String target,
    String cameraGlob,
    Severity minSeverity,
    List<String> topics,
    boolean allowPrivate,
    String mqttUser,
    Map<String, String> extra) {

  public enum Kind {
    WEBHOOK,
    MQTT
  }

  public static final List<String> ALLOWED_TOPICS =
      List.of(Topics.ALERTS.name(), Topics.SUMMARIES.name());

  public Subscription {
    String p = idProblem(id);
    if (p != null) {
      throw new IllegalArgumentException(p);
    }
    CameraGlob.check("camera", cameraGlob);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("topics is empty; give " + ALLOWED_TOPICS);
    }
    for (String t : topics) {
      if (!ALLOWED_TOPICS.contains(t)) {
        throw new IllegalArgumentException(
            "topic '" + t + "' cannot be subscribed to; use " + ALLOWED_TOPICS);
      }
    }
    topics = List.copyOf(topics);
    extra = Map.copyOf(extra);
    mqttUser = mqttUser == null ? "" : mqttUser;
  }

  /** Why {@code id} is not a subscription id, or null. */
  public static String idProblem(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return "subscription id must be 1 to 64 characters";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return "subscription id '"
            + id
            + "' has a character other than A-Z a-z 0-9 . _ - at position "
            + i;
      }
    }
    return null;
  }

  /** The dead-letter topic of this subscription. */
  public static String deadLetterTopic(String id) {
    return "subscriptions.dlq." + id;
  }
}
