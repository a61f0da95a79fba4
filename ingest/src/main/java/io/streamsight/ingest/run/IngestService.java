package io.streamsight.ingest.run;

import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.source.GrabberSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Runs many cameras in one process, one decoder thread each, and reports progress. Returns when
 * every camera has ended (files), failed, or been stopped.
 */
public final class IngestService {
  private final List<CameraWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param sinks makes the sink of a camera from its id and counters (e.g. {@link
   *     KafkaPublisher#forCamera})
   */
  public IngestService(
      List<CameraConfig> cameras,
      BiFunction<String, CameraStats, FrameSink> sinks,
      Backoff backoff) {
    GrabberSource.loadNatives();
    for (CameraConfig c : cameras) {
      CameraStats stats = new CameraStats();
      workers.add(new CameraWorker(c, stats, sinks.apply(c.id(), stats), backoff));
    }
  }

  public void start() {
    for (CameraWorker w : workers) {
      Thread t = new Thread(w, "ingest-" + w.config().id());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Waits for all cameras, printing a progress line per camera every {@code progressMillis}. */
  public void await(PrintStream progress, long progressMillis) throws InterruptedException {
    long next = System.currentTimeMillis() + progressMillis;
    for (Thread t : threads) {
      while (t.isAlive()) {
        t.join(Math.max(1, Math.min(200, next - System.currentTimeMillis())));
        if (progress != null && System.currentTimeMillis() >= next) {
          for (CameraWorker w : workers) {
            if (w.outcome() == CameraWorker.Outcome.RUNNING) {
              progress.println("progress " + w.summary());
            }
          }
          next += progressMillis;
        }
      }
    }
  }

  public void stop() {
    workers.forEach(CameraWorker::stop);
  }

  public List<CameraWorker> workers() {
    return List.copyOf(workers);
  }

  public boolean anyFailed() {
    return workers.stream().anyMatch(w -> w.outcome() == CameraWorker.Outcome.FAILED);
  }

  /**
   * File cameras that lost frames: Kafka did not accept them (too large for the topic, or broker
   * errors after the producer's retries). A file is ingested to be complete, so this is a failure
   * of the run; a live camera's losses are reported in its status and summary instead.
   */
  public List<CameraWorker> filesWithLostFrames() {
    return workers.stream()
        .filter(w -> !w.config().source().live() && w.stats().sendErrors() > 0)
        .toList();
  }
}
