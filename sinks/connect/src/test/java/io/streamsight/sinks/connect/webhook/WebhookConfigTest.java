package io.streamsight.sinks.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Severity;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {
  private final String secret = WebhookSecret.generate();

  private Map<String, String> props() {
    Map<String, String> p = new HashMap<>();
    p.put(WebhookConfig.URL, "https://hooks.example.com/a/secret-path");
    p.put(WebhookConfig.SECRET, secret);
    return p;
  }

  @Test
  void parsesDefaults() {
    WebhookConfig c = WebhookConfig.parse(props());
    assertEquals(0, c.maxAttempts());
    assertFalse(c.allowPrivate());
    assertEquals(Severity.LOW, c.filter().minSeverity());
    assertEquals("*", c.filter().cameraGlob());
  }

  @Test
  void aBadValueNamesItsKey() {
    Map<String, String> p = props();
    p.put("subscription.camera", "cam 1");
    assertTrue(
        assertThrows(ConfigException.class, () -> WebhookConfig.parse(p))
            .getMessage()
            .contains("subscription.camera"));
    Map<String, String> q = props();
    q.put(WebhookConfig.URL, "gopher://x/");
    assertTrue(
        assertThrows(ConfigException.class, () -> WebhookConfig.parse(q))
            .getMessage()
            .contains(WebhookConfig.URL));
  }

  @Test
  void toStringHoldsNeitherSecretNorUrlPath() {
    String s = WebhookConfig.parse(props()).toString();
    assertFalse(s.contains(secret.substring(6)), s);
    assertFalse(s.contains("secret-path"), s);
  }
}
