package io.streamsight.sinks.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

  @Test
  void signsLikeTheStandardWebhooksReferenceVector() {
    // The example of the Standard Webhooks specification's reference libraries.
    WebhookSecret s = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertEquals(
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        s.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void refusesMalformedSecretsWithoutEchoingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse("hunter2hunter2"));
    assertFalse(e.getMessage().contains("hunter2"));
    assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse("whsec_!!!"));
    assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse("whsec_c2hvcnQ="));
  }

  @Test
  void generatedSecretsParseAndNeverPrint() {
    String g = WebhookSecret.generate();
    assertTrue(g.startsWith("whsec_"));
    assertFalse(WebhookSecret.parse(g).toString().contains(g.substring(6)));
  }
}
