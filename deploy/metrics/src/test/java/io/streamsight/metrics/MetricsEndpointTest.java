package io.streamsight.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  @Test
  void servesTheRegistryAndJvmMetricsInTextFormatOnLoopback() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter c = Counter.builder().name("streamsight_test_things_total").register(registry);
    c.inc(3);
    try (MetricsEndpoint e = MetricsEndpoint.start(registry, null, 0)) {
      assertEquals("127.0.0.1", e.host());
      assertTrue(e.url().toString().startsWith("http://127.0.0.1:"), e.url().toString());
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(e.url()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      assertTrue(r.body().contains("streamsight_test_things_total 3.0"), r.body());
      assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM metrics");
      assertTrue(r.body().contains("process_cpu_seconds_total"), "process metrics");
    }
  }

  @Test
  void aSecondEndpointOnTheSameRegistryDoesNotRegisterJvmMetricsTwice() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (MetricsEndpoint a = MetricsEndpoint.start(registry, "127.0.0.1", 0);
        MetricsEndpoint b = MetricsEndpoint.start(registry, "127.0.0.1", 0)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(b.url().toString())).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(a.port() != b.port());
    }
  }
}
