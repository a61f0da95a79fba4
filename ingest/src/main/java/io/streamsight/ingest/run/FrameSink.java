package io.streamsight.ingest.run;

import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Frame;

/**
 * Where one camera's frames and status go. Back-pressure is explicit: live cameras call {@link
 * #tryPublish} and drop when it refuses, files call {@link #publish} and wait.
 */
public interface FrameSink extends AutoCloseable {
  /** Publishes unless the camera's in-flight budget is full; never blocks. */
  boolean tryPublish(Frame frame);

  /** Publishes, waiting for room in the in-flight budget. */
  void publish(Frame frame) throws InterruptedException;

  /** Publishes a status record (best effort, never blocks the decoder for long). */
  void status(CameraStatus status);

  /** Waits until everything published so far is acknowledged or failed. */
  void flush() throws InterruptedException;

  @Override
  void close();
}
