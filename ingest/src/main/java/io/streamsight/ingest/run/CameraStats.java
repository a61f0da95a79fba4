package io.streamsight.ingest.run;

import io.streamsight.schemas.avro.CameraState;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one camera, written by its decoder thread and Kafka callbacks, read by progress. */
public final class CameraStats {
  final AtomicLong decoded = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong skippedByDecode = new AtomicLong();
  final AtomicLong corruptPackets = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
  final AtomicLong sendErrors = new AtomicLong();
  // Read by the metrics endpoint (IngestMetrics): the camera's current state and when Kafka last
  // acknowledged one of its frames (wall clock, 0 = never), so a stalled camera is visible.
  private volatile CameraState state = CameraState.CONNECTING;
  private volatile long lastPublishedMillis;

  void state(CameraState s) {
    state = s;
  }

  /** The state last published to {@code cameras.status}. */
  public CameraState state() {
    return state;
  }

  void publishedNow() {
    published.incrementAndGet();
    lastPublishedMillis = System.currentTimeMillis();
  }

  /** Wall-clock time Kafka last acknowledged a frame of this camera, or 0. */
  public long lastPublishedMillis() {
    return lastPublishedMillis;
  }

  public long decoded() {
    return decoded.get();
  }

  /** Frames acknowledged by Kafka. */
  public long published() {
    return published.get();
  }

  /** Frames a live camera dropped because the producer pushed back. */
  public long dropped() {
    return dropped.get();
  }

  public long skippedByDecode() {
    return skippedByDecode.get();
  }

  public long corruptPackets() {
    return corruptPackets.get();
  }

  public long reconnects() {
    return reconnects.get();
  }

  /** Frames Kafka failed to accept after the producer's own retries. */
  public long sendErrors() {
    return sendErrors.get();
  }
}
