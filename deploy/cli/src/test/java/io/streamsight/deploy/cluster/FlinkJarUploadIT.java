package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.testkit.Await;
import io.streamsight.vlm.operator.OperatorLauncher;
import io.streamsight.vlm.operator.OperatorLauncher.Launch;
import io.streamsight.vlm.operator.OperatorLauncher.Target;
import io.streamsight.vlm.operator.inference.EngineOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's REST API takes jar uploads by default (the web UI's submit page: whoever reaches the port
 * runs code). With flink-runtime-web on the class path, as in our distribution, a running Flink
 * configured as we ship it must refuse them: the operator's local MiniCluster ({@code demo}, {@code
 * operator --local}) and a JobManager with {@code cluster up}'s settings. Job control (the job list
 * our CLI reads) still answers.
 */
@Timeout(120)
class FlinkJarUploadIT {
  @TempDir Path dir;

  @Test
  void theLocalMiniClusterRefusesJarUploads() throws Exception {
    Launch launch =
        new Launch(
            "127.0.0.1:9092", dir, null, Target.LOCAL, null, "upload-it", EngineOptions.DEFAULT);
    assertRefusesUploads(OperatorLauncher.localConfig(launch));
  }

  @Test
  void aJobManagerWithClusterUpsSettingsRefusesJarUploads() throws Exception {
    ClusterSpec spec =
        new ClusterSpec(
            "abc",
            List.of(new ClusterSpec.KafkaNode(1, 9101, 9201)),
            6123,
            8081,
            1,
            1,
            "768m",
            "1280m",
            null);
    Configuration c = new Configuration();
    // The REST and web settings as written to config.yaml; memory, ports and dirs are the test's.
    new FlinkConf(spec, new ClusterLayout(dir))
        .settings()
        .forEach(
            (k, v) -> {
              if (k.startsWith("web.") || k.startsWith("rest.")) {
                c.setString(k, v);
              }
            });
    assertRefusesUploads(c);
  }

  /** The control: with Flink's default the same requests reach the upload handlers. */
  @Test
  void withFlinksDefaultTheSameEndpointsTakeJars() throws Exception {
    Configuration c = new Configuration();
    c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    Endpoints e = probe(c);
    assertEquals(200, e.jars(), "jar listing with the default");
  }

  private static void assertRefusesUploads(Configuration config) throws Exception {
    Endpoints e = probe(config);
    assertTrue(e.upload() >= 400, "jar upload answered " + e.upload());
    assertTrue(e.jars() >= 400, "jar listing answered " + e.jars());
    assertEquals(200, e.jobs(), "job control stays");
  }

  /** Status codes of a jar upload, the jar listing and the job list. */
  private record Endpoints(int upload, int jars, int jobs) {}

  private static Endpoints probe(Configuration config) throws Exception {
    Configuration c = new Configuration(config);
    c.set(RestOptions.PORT, 0);
    c.set(RestOptions.BIND_PORT, "0");
    try (MiniCluster flink =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(c)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build())) {
      flink.start();
      URI rest = flink.getRestAddress().get();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      // The REST endpoint answers 503 to everything until its leader is known: wait for that.
      Await.until(
          "Flink's job list answering",
          Duration.ofSeconds(60),
          () -> get(http, rest, "/jobs/overview").statusCode() == 200);
      String boundary = "----streamsight";
      String body =
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"evil.jar\"\r\n"
              + "Content-Type: application/x-java-archive\r\n\r\nPK\r\n--"
              + boundary
              + "--\r\n";
      HttpResponse<String> upload =
          http.send(
              HttpRequest.newBuilder(rest.resolve("/jars/upload"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                  .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Endpoints(
          upload.statusCode(),
          get(http, rest, "/jars").statusCode(),
          get(http, rest, "/jobs/overview").statusCode());
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI rest, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
