package io.streamsight.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few Flink REST calls the cluster command needs: overview, jobs, cancel. */
public final class FlinkRest {
  /** Cluster-wide figures from {@code GET /overview}. */
  public record Overview(int taskManagers, int slotsTotal, int slotsAvailable, int jobsRunning) {}

  /** One job from {@code GET /jobs/overview}. */
  public record Job(String id, String name, String state) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public FlinkRest(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public Overview overview() throws IOException, InterruptedException {
    JsonNode n = get("/overview");
    return new Overview(
        n.path("taskmanagers").asInt(),
        n.path("slots-total").asInt(),
        n.path("slots-available").asInt(),
        n.path("jobs-running").asInt());
  }

  public List<Job> jobs() throws IOException, InterruptedException {
    List<Job> out = new ArrayList<>();
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      out.add(new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()));
    }
    return out;
  }

  /**
   * Resource ids of the TaskManagers running a job's tasks ({@code taskmanager-N} on the local
   * cluster), empty while its tasks are not deployed.
   */
  public java.util.Set<String> taskManagersOf(String jobId)
      throws IOException, InterruptedException {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      JsonNode tms = get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers");
      for (JsonNode tm : tms.path("taskmanagers")) {
        boolean running = tm.path("status").asText().equals("RUNNING");
        if (running) {
          out.add(tm.path("taskmanager-id").asText());
        }
      }
    }
    return out;
  }

  /** Cancels a job (no savepoint): {@code down} uses it so no task is killed mid-transaction. */
  public void cancel(String jobId) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "?mode=cancel"))
            .timeout(Duration.ofSeconds(5))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) {
      throw new IOException("cancel " + jobId + ": HTTP " + resp.statusCode() + " " + resp.body());
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      throw new IOException("GET " + baseUrl + path + ": HTTP " + resp.statusCode());
    }
    return JSON.readTree(resp.body());
  }
}
