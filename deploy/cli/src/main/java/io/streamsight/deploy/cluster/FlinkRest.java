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
import java.util.Optional;

/**
 * The few Flink REST calls the cluster command needs: overview, jobs, cancel, stop with a
 * savepoint.
 */
public final class FlinkRest {
  /** States from which a job does not come back (Flink's globally terminal states). */
  private static final java.util.Set<String> TERMINAL =
      java.util.Set.of("FINISHED", "CANCELED", "FAILED");

  /** Outcome of an asynchronous savepoint operation. */
  public record SavepointStatus(boolean done, String location, String failure) {}

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

  /** Whether a job in {@code state} may still run (anything but FINISHED, CANCELED, FAILED). */
  public static boolean active(String state) {
    return !TERMINAL.contains(state);
  }

  /** A job named {@code name} that is running or may run again (restarting, created, ...). */
  public Optional<Job> activeJob(String name) throws IOException, InterruptedException {
    return jobs().stream().filter(j -> j.name().equals(name) && active(j.state())).findFirst();
  }

  /**
   * Stops a job with a savepoint into {@code targetDirectory} ({@code POST /jobs/:id/stop}):
   * sources stop, the last transactions commit, the job ends FINISHED. Returns the request id for
   * {@link #savepointStatus}.
   */
  public String stopWithSavepoint(String jobId, String targetDirectory)
      throws IOException, InterruptedException {
    String body =
        JSON.writeValueAsString(
            java.util.Map.of("targetDirectory", targetDirectory, "drain", false));
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "/stop"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) {
      throw new IOException("stop " + jobId + ": HTTP " + resp.statusCode() + " " + resp.body());
    }
    String id = JSON.readTree(resp.body()).path("request-id").asText("");
    if (id.isEmpty()) {
      throw new IOException("stop " + jobId + ": no request-id in " + resp.body());
    }
    return id;
  }

  public SavepointStatus savepointStatus(String jobId, String requestId)
      throws IOException, InterruptedException {
    JsonNode n = get("/jobs/" + jobId + "/savepoints/" + requestId);
    if (!n.path("status").path("id").asText().equals("COMPLETED")) {
      return new SavepointStatus(false, null, null);
    }
    JsonNode op = n.path("operation");
    if (op.hasNonNull("location")) {
      return new SavepointStatus(true, op.path("location").asText(), null);
    }
    // A serialized throwable: its class and the first line of its stack trace (the message).
    JsonNode cause = op.path("failure-cause");
    String trace = cause.path("stack-trace").asText("");
    String why =
        trace.isEmpty()
            ? cause.path("class").asText("unknown cause")
            : trace.lines().findFirst().orElse("");
    return new SavepointStatus(true, null, why);
  }

  /** Stops with a savepoint and waits for it; returns its location. */
  public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
      throws IOException, InterruptedException {
    String request = stopWithSavepoint(jobId, targetDirectory);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      SavepointStatus s = savepointStatus(jobId, request);
      if (s.done()) {
        if (s.location() == null) {
          throw new IOException("savepoint of job " + jobId + " failed: " + s.failure());
        }
        return s.location();
      }
      // Flink's REST API has no way to wait for an async operation: poll it, a few times a second.
      Thread.sleep(200);
    }
    throw new IOException("savepoint of job " + jobId + " not done within " + timeout);
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
