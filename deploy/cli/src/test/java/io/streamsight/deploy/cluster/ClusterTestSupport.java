package io.streamsight.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.testkit.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/** What the multi-process cluster ITs share. */
final class ClusterTestSupport {
  private ClusterTestSupport() {}

  /**
   * Loads the classes a test needs to tear the cluster down before the test starts: a rebuild of
   * the module during a minutes-long run must not leave the cleanup unable to load them.
   */
  static void preload(Class<?> test, Class<?>... classes) {
    for (Class<?> c : classes) {
      try {
        Class.forName(c.getName(), true, test.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * The distribution {@code mvn verify} just packaged (target/streamsight-cli-*.jar plus
   * target/lib).
   */
  static Distribution packaged() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      Path jar =
          files
              .filter(p -> p.getFileName().toString().matches("streamsight-cli-.*\\.jar"))
              .filter(p -> !p.getFileName().toString().contains("tests"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "run via mvn verify: no target/streamsight-cli-*.jar"));
      return Distribution.ofJar(Path.of(System.getProperty("java.home"), "bin", "java"), jar);
    }
  }

  /**
   * Waits until a checkpoint of {@code jobId} that the JobManager triggered after {@code
   * afterMillis} (epoch ms, same machine) has completed. An exactly-once Kafka sink commits its
   * transactions on checkpoint completion, so by then everything the job wrote before {@code
   * afterMillis}, a late duplicate included, is committed and visible to a read_committed reader.
   */
  static void awaitCheckpointTriggeredAfter(
      String restUrl, String jobId, long afterMillis, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ObjectMapper json = new ObjectMapper();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(restUrl + "/jobs/" + jobId + "/checkpoints"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Await.until(
        "a checkpoint of job " + jobId + " triggered after " + Instant.ofEpochMilli(afterMillis),
        timeout,
        () -> {
          HttpResponse<String> r;
          try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
          } catch (IOException e) {
            return false; // JobManager busy (for instance restarting the job): ask again
          }
          if (r.statusCode() != 200) {
            return false;
          }
          JsonNode completed = json.readTree(r.body()).path("latest").path("completed");
          return completed.path("trigger_timestamp").asLong(Long.MIN_VALUE) > afterMillis;
        });
  }
}
