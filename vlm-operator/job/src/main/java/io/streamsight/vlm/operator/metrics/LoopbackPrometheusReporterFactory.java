package io.streamsight.vlm.operator.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * {@code metrics.reporter.prom.factory.class: io.streamsight.vlm.operator.metrics.
 * LoopbackPrometheusReporterFactory}, with {@code metrics.reporter.prom.port} (a port or range,
 * default {@value #DEFAULT_PORTS}) and {@code metrics.reporter.prom.host} (default {@value
 * #DEFAULT_HOST}). Found by Flink through {@code META-INF/services}.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
  public static final String HOST = "host";
  public static final String PORT = "port";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_PORTS = "9249";

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    String host = properties.getProperty(HOST, DEFAULT_HOST).trim();
    String ports = properties.getProperty(PORT, DEFAULT_PORTS).trim();
    return new LoopbackPrometheusReporter(host, new PortRange(ports));
  }
}
