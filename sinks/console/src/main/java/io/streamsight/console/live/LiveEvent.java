package io.streamsight.console.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * One change the page shows as it happens: {@code summary}, {@code alert}, {@code status}, {@code
 * keyframe}, {@code rule}, {@code answer}. {@code data} is the record in the JSON shape of {@code
 * tail --json} (for {@code keyframe}: the camera id and the keyframe's reference; for {@code rule}:
 * the id and the rule, null when it was deleted). Its server-sent-event frame is rendered once,
 * however many live streams send it.
 */
public final class LiveEvent {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String type;
  private final JsonNode data;
  private volatile byte[] frame;

  public LiveEvent(String type, JsonNode data) {
    this.type = type;
    this.data = data;
  }

  public String type() {
    return type;
  }

  public JsonNode data() {
    return data;
  }

  /** {@code event: TYPE\ndata: JSON\n\n} in UTF-8 (JSON text is one line). */
  public byte[] frame() {
    byte[] f = frame;
    if (f == null) {
      try {
        f =
            ("event: " + type + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot render JSON", e);
      }
      frame = f;
    }
    return f;
  }

  @Override
  public String toString() {
    return "LiveEvent[" + type + "]";
  }
}
