package io.streamsight.vlm.operator.metrics;

import org.apache.flink.configuration.Configuration;

/**
 * The Flink settings that switch on the Prometheus reporter ({@link
 * LoopbackPrometheusReporterFactory}) as reporter {@code prom}, for the local MiniCluster and the
 * {@code flink-conf} of {@code cluster up}.
 */
public final class ReporterConfig {
  public static final String PREFIX = "metrics.reporter.prom.";

  private ReporterConfig() {}

  /**
   * Sets reporter {@code prom} on {@code host} and the first free port of {@code ports} ("9403" or
   * "9403-9410").
   */
  public static Configuration apply(Configuration c, String host, String ports) {
    entries(host, ports).forEach(c::setString);
    return c;
  }

  /** The same settings as {@code key: value} lines for a Flink config file. */
  public static java.util.Map<String, String> entries(String host, String ports) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put(PREFIX + "factory.class", LoopbackPrometheusReporterFactory.class.getName());
    m.put(PREFIX + LoopbackPrometheusReporterFactory.HOST, host);
    m.put(PREFIX + LoopbackPrometheusReporterFactory.PORT, ports);
    // Keep camera ids as they are in the camera label (Flink would turn "cam-1" into "cam_1", so
    // the operator's series would not join ingest's); any UTF-8 is a valid label value.
    m.put(PREFIX + "filterLabelValueCharacters", "false");
    return m;
  }
}
