package io.streamsight.deploy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.console.subscriptions.SubscriptionView;
import io.streamsight.console.subscriptions.SubscriptionsUnavailableException;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.sinks.connect.client.Subscription;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConnectSubscriptionsBackendTest {
  @Test
  void showsStateAndDeliveryCountsOfASubscription() {
    var stats =
        new io.streamsight.sinks.connect.client.SubscriptionView.Stats(
            12, 3, 1, 2, "HTTP 503 from the receiver", "2026-11-30T04:00:00Z");
    SubscriptionView v =
        ConnectSubscriptionsBackend.view(
            new io.streamsight.sinks.connect.client.SubscriptionView(
                "oncall",
                Subscription.Kind.WEBHOOK,
                "https://hooks.example.com:443",
                "cam-*",
                "HIGH",
                "alerts",
                false,
                "subscriptions.dlq.oncall",
                "RUNNING",
                "RUNNING",
                stats,
                null));
    assertEquals("oncall", v.name());
    assertEquals("webhook", v.kind());
    assertEquals("https://hooks.example.com:443", v.target());
    assertEquals("RUNNING", v.state());
    assertEquals(
        "delivered 12, retrying 1, dead-lettered 2; last error: HTTP 503 from the receiver",
        v.detail());
  }

  @Test
  void aSubscriptionWithoutCountsHasNoDetail() {
    SubscriptionView v =
        ConnectSubscriptionsBackend.view(
            new io.streamsight.sinks.connect.client.SubscriptionView(
                "home",
                Subscription.Kind.MQTT,
                "tcp://127.0.0.1:1883",
                "*",
                "LOW",
                "alerts,summaries",
                true,
                "subscriptions.dlq.home",
                "UNASSIGNED",
                "",
                null,
                null));
    assertNull(v.detail());
    assertEquals("mqtt", v.kind());
  }

  @Test
  void anUnreachableWorkerIsUnavailableNamingIt() {
    URI nobody = URI.create("http://127.0.0.1:" + KafkaBroker.freePort());
    var e =
        assertThrows(
            SubscriptionsUnavailableException.class,
            () -> new ConnectSubscriptionsBackend(nobody).list());
    assertTrue(e.getMessage().contains(nobody.toString()), e.getMessage());
  }
}
