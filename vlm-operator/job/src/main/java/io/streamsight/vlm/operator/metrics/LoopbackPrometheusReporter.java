package io.streamsight.vlm.operator.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter, bound to one address. Flink 2.2's own {@code PrometheusReporter}
 * takes only a port and listens on every interface ({@code new InetSocketAddress(port)}); we keep
 * everything on 127.0.0.1 unless opened on purpose, so this starts the same exporter (Flink's
 * metric-group-to-Prometheus mapping, names and labels unchanged: {@link
 * AbstractPrometheusReporter} does all of it) on {@code host}. The first free port of the range is
 * taken, as Flink's does, so a JobManager and TaskManagers on one machine share one range.
 *
 * <p>The reporter's registry is package-private in Flink; it is read once by reflection, and a
 * Flink version that renames it fails at start naming the field.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
  private final HTTPServer server;
  private final int port;

  LoopbackPrometheusReporter(String host, PortRange ports) {
    CollectorRegistry registry = registry(this);
    HTTPServer started = null;
    int bound = -1;
    IOException last = null;
    for (Iterator<Integer> it = ports.getPortsIterator(); it.hasNext() && started == null; ) {
      int p = it.next();
      try {
        started = new HTTPServer(new InetSocketAddress(host, p), registry, true);
        bound = started.getPort();
      } catch (IOException e) {
        last = e;
      }
    }
    if (started == null) {
      throw new IllegalStateException(
          "no free port for the Prometheus reporter on " + host + " in " + ports, last);
    }
    this.server = started;
    this.port = bound;
    log.info("Prometheus reporter serving Flink metrics on http://{}:{}/metrics", host, port);
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    server.stop();
    super.close();
  }

  private static CollectorRegistry registry(AbstractPrometheusReporter r) {
    try {
      Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
      f.setAccessible(true);
      return (CollectorRegistry) f.get(r);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "Flink's AbstractPrometheusReporter has no field 'registry' (Flink version changed?)", e);
    }
  }
}
