package io.streamsight.deploy.summarize;

import io.streamsight.ingest.frame.FramePipeline;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.source.GrabberSource;
import io.streamsight.ingest.source.SourceException;
import io.streamsight.ingest.source.SourceSpec;
import io.streamsight.schemas.avro.Frame;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Decodes a video file ahead of inference on its own thread, exactly as ingest does (JavaCV/FFmpeg
 * decode with frame skipping, sampling by timestamp, downscale, JPEG, features: {@link
 * GrabberSource} and {@link FramePipeline}), into a bounded queue: while the model works on one
 * batch of windows the decoder prepares the next, and when the model is slower the full queue stops
 * the decoder instead of growing.
 *
 * <p>Capture times are microseconds from the first decoded picture, so the timeline reads from
 * 00:00 whatever the file's start time.
 */
public final class FrameFeed implements AutoCloseable {
  /** What the queue carries: frames, then one {@link End}. */
  sealed interface Item permits Decoded, End {}

  record Decoded(Frame frame) implements Item {}

  /**
   * @param decoded pictures decoded
   * @param damaged pictures or packets lost to corruption (the decoder's count)
   * @param error why decoding stopped early, or null when the file ended normally
   * @param lastMicros capture time of the last decoded picture
   */
  record End(long decoded, long damaged, String error, long lastMicros) implements Item {}

  private static final int QUEUE_FRAMES = 64;

  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
  private final GrabberSource source;
  private final FramePipeline pipeline;
  private final Thread thread;
  private volatile boolean stopped;

  private FrameFeed(GrabberSource source, FramePipeline pipeline) {
    this.source = source;
    this.pipeline = pipeline;
    this.thread = new Thread(this::decode, "summarize-decoder");
    this.thread.setDaemon(true);
  }

  /**
   * Opens {@code video} on the calling thread (so a file that is not a video fails here, with
   * FFmpeg's reason) and starts decoding.
   */
  public static FrameFeed start(Path video, PipelineSettings settings) throws SourceException {
    SourceSpec spec = SourceSpec.parse(video.toString());
    GrabberSource src = GrabberSource.open(spec, 1);
    FramePipeline pipeline;
    try {
      pipeline = new FramePipeline("video", UUID.randomUUID().toString(), settings);
    } catch (RuntimeException e) {
      src.close();
      throw e;
    }
    FrameFeed feed = new FrameFeed(src, pipeline);
    feed.thread.start();
    return feed;
  }

  /** The container's duration, or 0 when it does not say. */
  long lengthMicros() {
    return source.lengthMicros();
  }

  Item take() throws InterruptedException {
    return queue.take();
  }

  private void decode() {
    long firstPts = Long.MIN_VALUE;
    long last = 0;
    String error = null;
    try {
      GrabberSource.Picture p;
      while (!stopped
          && (p = source.next(GrabberSource.SkipMode.AUTO, pipeline.untilDueMicros())) != null) {
        if (firstPts == Long.MIN_VALUE) {
          firstPts = p.ptsMicros();
        }
        last = p.ptsMicros() - firstPts;
        if (pipeline.sample(p.ptsMicros())) {
          queue.put(new Decoded(pipeline.toFrame(p.frame(), p.ptsMicros(), last)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // closed by the consumer: nobody reads an End any more
    } catch (SourceException | RuntimeException e) {
      error = e.getMessage();
    } finally {
      pipeline.close();
      source.close();
    }
    try {
      queue.put(new End(source.decoded(), source.corruptPackets(), error, last));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the decoder (if still running) and waits for it to release FFmpeg's resources. */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
