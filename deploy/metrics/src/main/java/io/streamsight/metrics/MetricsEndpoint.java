package io.streamsight.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The Prometheus endpoint of one process: {@code GET /metrics} in the text exposition format
 * (written by the Prometheus client, never by hand), on {@link #LOOPBACK} unless opened on purpose.
 * JVM and process metrics ({@code jvm_*}, {@code process_*}) are registered with the first endpoint
 * of a registry.
 *
 * <p>Cost: the server is the JDK's HTTP server on one daemon thread; metrics are read only while a
 * scrape runs (callback metrics read the stages' own counters then), so an unscraped endpoint costs
 * nothing on the data path.
 */
public final class MetricsEndpoint implements AutoCloseable {
  public static final String LOOPBACK = "127.0.0.1";

  private static final Set<PrometheusRegistry> WITH_JVM =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final HTTPServer server;
  private final String host;

  private MetricsEndpoint(HTTPServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /**
   * Serves {@code registry} on {@code bind}:{@code port} ({@code port} 0 picks a free one).
   *
   * @throws BindException when the port is taken (the caller decides whether that is fatal)
   */
  public static MetricsEndpoint start(PrometheusRegistry registry, String bind, int port)
      throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics port must be 0..65535, got " + port);
    }
    String host = bind == null || bind.isBlank() ? LOOPBACK : bind.trim();
    registerJvm(registry);
    HTTPServer s =
        HTTPServer.builder()
            .inetAddress(InetAddress.getByName(host))
            .port(port)
            .registry(registry)
            .buildAndStart();
    return new MetricsEndpoint(s, host);
  }

  /** JVM and process metrics into {@code registry}, once. */
  public static void registerJvm(PrometheusRegistry registry) {
    if (WITH_JVM.add(registry)) {
      JvmMetrics.builder().register(registry);
    }
  }

  /** Same as {@link #start} with an {@link UncheckedIOException} (for lambdas and tests). */
  public static MetricsEndpoint startUnchecked(PrometheusRegistry registry, String bind, int port) {
    try {
      return start(registry, bind, port);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on " + bind + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String host() {
    return host;
  }

  /** {@code http://HOST:PORT/metrics}. */
  public URI url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port() + "/metrics");
  }

  @Override
  public void close() {
    server.close();
  }
}
