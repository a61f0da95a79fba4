package io.streamsight.deploy.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) for tests: on a free loopback
 * port, a generated config scraping the given targets every second, its own data directory, and
 * killed on {@link #close}. Queried over its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
  static final String PACKAGE_HINT =
      "prometheus / promtool not installed (apt-get install prometheus; .ci/run installs it)";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final URI api;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, URI api, Path log) {
    this.process = process;
    this.api = api;
    this.log = log;
  }

  /** {@code name} on the PATH (or /usr/bin), or null. */
  static Path binary(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Starts Prometheus scraping {@code targets} (job name to {@code host:port}) every second, with
   * the alerting rules in {@code rules} evaluated every second.
   */
  static PrometheusServer start(Path dir, Map<String, String> targets, Path rules)
      throws Exception {
    Files.createDirectories(dir);
    StringBuilder conf =
        new StringBuilder(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n  - "
                + rules.toAbsolutePath()
                + "\nscrape_configs:\n");
    targets.forEach(
        (job, target) ->
            conf.append("  - job_name: ")
                .append(job)
                .append("\n    static_configs:\n      - targets: ['")
                .append(target)
                .append("']\n"));
    Path config = Files.writeString(dir.resolve("prometheus.yml"), conf.toString());
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process p =
        new ProcessBuilder(
                binary("prometheus").toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server =
        new PrometheusServer(p, URI.create("http://127.0.0.1:" + port + "/api/v1/"), log);
    try {
      io.streamsight.testkit.Await.until(
          "Prometheus answering on port " + port, Duration.ofSeconds(60), server::ready);
    } catch (AssertionError | Exception e) {
      server.close();
      throw new AssertionError(e.getMessage() + "; its log: " + server.log(), e);
    }
    return server;
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new AssertionError("Prometheus exited: " + log());
    }
    try {
      return get("status/runtimeinfo").path("status").asText().equals("success");
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code data.result} of an instant PromQL query. */
  JsonNode query(String promql) throws IOException {
    return get("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .path("data")
        .path("result");
  }

  /** The alerts Prometheus has right now ({@code data.alerts}). */
  JsonNode alerts() throws IOException {
    return get("alerts").path("data").path("alerts");
  }

  /** The scrape targets and their health ({@code data.activeTargets}). */
  JsonNode targets() throws IOException {
    return get("targets").path("data").path("activeTargets");
  }

  private JsonNode get(String path) throws IOException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
