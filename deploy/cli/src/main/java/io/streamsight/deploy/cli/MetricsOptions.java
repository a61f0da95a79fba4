package io.streamsight.deploy.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.metrics.CameraLabels;
import io.streamsight.metrics.MetricsEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port}, {@code --metrics-bind} and {@code --metrics-max-cameras}: the Prometheus
 * endpoint of a long-running command (docs/operations.md). Each command has its own default port,
 * so the stages of one machine do not collide; 0 turns the endpoint off. A default port that is
 * taken (a second instance on the same machine) only costs that instance its endpoint, with a
 * warning; a port given on purpose must be free, or the command stops naming it.
 */
public final class MetricsOptions {
  /** Default ports, one per command (the operator's is its Flink reporter's). */
  public static final int INGEST = 9401;

  public static final int SAMPLER = 9402;
  public static final int OPERATOR = 9403;
  public static final int CONNECT = 9404;
  public static final int ARCHIVE = 9405;
  public static final int CONSOLE = 9406;
  public static final int DEMO = 9400;

  static final String METRICS =
      "the Prometheus metrics endpoint (camera ids and pipeline counters)";

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics on this port, 0 = off (default: the command's own port, see"
              + " docs/operations.md).")
  Integer port;

  @Option(
      names = "--metrics-bind",
      paramLabel = "ADDRESS",
      description = "Address of the metrics endpoint (default: 127.0.0.1).")
  String bind;

  @Option(
      names = "--metrics-max-cameras",
      paramLabel = "N",
      defaultValue = "" + CameraLabels.DEFAULT_MAX,
      description =
          "Cameras with series of their own; the rest count under camera=\"_other\" (default:"
              + " ${DEFAULT-VALUE}).")
  int maxCameras;

  /** The port to use: the one given, else {@code defaultPort}; 0 = off. */
  public int port(int defaultPort) {
    return port == null ? defaultPort : port;
  }

  /** Whether an endpoint will be started. */
  public boolean enabled(int defaultPort) {
    return port(defaultPort) != 0;
  }

  /** The bind address, validated like {@code --bind}. */
  public String bind(CommandLine cl) {
    BindOption b = new BindOption();
    b.address = bind;
    return b.address(cl);
  }

  public CameraLabels labels(CommandLine cl) {
    if (maxCameras < 0) {
      throw new CommandLine.ParameterException(
          cl, "--metrics-max-cameras must be >= 0, got " + maxCameras);
    }
    return new CameraLabels(maxCameras);
  }

  /**
   * Starts the endpoint serving {@code registry}, or none when off (or when the default port is
   * taken); prints where it is on {@code err}.
   */
  public Optional<MetricsEndpoint> start(
      CommandLine cl, PrometheusRegistry registry, int defaultPort, PrintStream err) {
    int p = port(defaultPort);
    if (p < 0 || p > 65535) {
      throw new CommandLine.ParameterException(cl, "--metrics-port must be 0..65535, got " + p);
    }
    if (p == 0) {
      return Optional.empty();
    }
    String address = bind(cl);
    try {
      MetricsEndpoint e = MetricsEndpoint.start(registry, address, p);
      BindOption.warn(err, address, List.of(METRICS));
      err.println("metrics: " + e.url());
      return Optional.of(e);
    } catch (BindException taken) {
      if (port != null) {
        throw new CommandLine.ParameterException(
            cl, "--metrics-port " + p + " on " + address + " is in use: " + taken.getMessage());
      }
      err.println(
          "WARNING: metrics port "
              + p
              + " on "
              + address
              + " is in use (another instance?); running without a metrics endpoint. Give"
              + " --metrics-port PORT (0 = off) to choose.");
      return Optional.empty();
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          cl, "cannot serve metrics on " + address + ":" + p + ": " + e.getMessage());
    }
  }
}
