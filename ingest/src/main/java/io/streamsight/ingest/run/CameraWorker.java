package io.streamsight.ingest.run;

import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.FramePipeline;
import io.streamsight.ingest.source.GrabberSource;
import io.streamsight.ingest.source.Redactor;
import io.streamsight.ingest.source.SourceException;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Frame;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoder loop of one camera, run on its own thread: open, decode, sample, publish; for live
 * sources reconnect with backoff on error or end of stream, for files stop at end of file. Every
 * state transition is published to the status topic. A failure ends this camera only.
 */
public final class CameraWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);
  private static final long STATUS_EVERY_NANOS = 10_000_000_000L;

  /** How the worker ended. */
  public enum Outcome {
    RUNNING,
    ENDED,
    FAILED,
    STOPPED
  }

  private final CameraConfig config;
  private final FrameSink sink;
  private final Backoff backoff;
  private final CameraStats stats;
  private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10_000);
  // Everything this worker logs or publishes about a failure goes through it (credentials).
  private final Redactor redactor;
  private volatile boolean stopping;
  private volatile Outcome outcome = Outcome.RUNNING;
  private volatile String error;
  private volatile long startNanos;
  private volatile long endNanos;
  private volatile long cpuNanos = -1;
  private long lastCaptureMicros = Long.MIN_VALUE;
  private long lastStatusNanos;

  /**
   * @param stats this camera's counters, also given to the sink that updates the published count
   */
  public CameraWorker(CameraConfig config, CameraStats stats, FrameSink sink, Backoff backoff) {
    this.config = config;
    this.stats = stats;
    this.sink = sink;
    this.backoff = backoff;
    this.redactor = config.source().redactor();
  }

  @Override
  public void run() {
    startNanos = System.nanoTime();
    int attempt = 0;
    String session = UUID.randomUUID().toString();
    try (FramePipeline pipeline = new FramePipeline(config.id(), session, config.pipeline())) {
      while (!stopping) {
        status(CameraState.CONNECTING, session, null);
        String failure;
        boolean retriable;
        try (GrabberSource src = GrabberSource.open(config.source(), config.decodeThreads())) {
          status(CameraState.ONLINE, session, null);
          long before = stats.decoded();
          try {
            decode(src, pipeline, session);
          } finally {
            stats.skippedByDecode.addAndGet(src.skippedByDecode());
            stats.corruptPackets.addAndGet(src.corruptPackets());
          }
          if (stats.decoded() > before) {
            attempt = 0; // it worked for a while: start the backoff over
          }
          if (stopping) {
            break;
          }
          if (!config.source().live()) {
            sink.flush();
            finish(Outcome.ENDED, CameraState.ENDED, session, null);
            return;
          }
          failure = "stream ended or connection lost";
          retriable = true;
        } catch (SourceException e) {
          failure = redactor.redact(e.getMessage());
          retriable = e.retriable() && config.source().live();
        }
        if (!retriable) {
          LOG.error("camera {} failed: {}", config.id(), failure);
          finish(Outcome.FAILED, CameraState.FAILED, session, failure);
          return;
        }
        long delay = backoff.delay(attempt++, ThreadLocalRandom.current()).toMillis();
        LOG.warn("camera {}: {}; reconnecting in {} ms", config.id(), failure, delay);
        status(CameraState.RECONNECTING, session, failure);
        Thread.sleep(delay);
        stats.reconnects.incrementAndGet();
        session = UUID.randomUUID().toString();
        pipeline.newSession(session);
      }
      finish(Outcome.STOPPED, CameraState.OFFLINE, session, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(Outcome.STOPPED, CameraState.OFFLINE, session, null);
    } catch (RuntimeException e) {
      // A bug or native failure: fail this camera loudly, leave the others running.
      LOG.error("camera {} failed unexpectedly", config.id(), redactor.redact(e));
      finish(Outcome.FAILED, CameraState.FAILED, session, redactor.redact(e.toString()));
    }
  }

  private void decode(GrabberSource src, FramePipeline pipeline, String session)
      throws SourceException, InterruptedException {
    boolean live = config.source().live();
    long wallStartMicros = System.currentTimeMillis() * 1000;
    if (!live && !config.realtime() && src.lengthMicros() > 0) {
      // A file read as fast as it decodes is a backfill of the recent past: it ends now. Stamped
      // from now onwards instead, an hour-long file would run an hour into the future, and the
      // operator refuses capture times that far ahead of its clock.
      wallStartMicros -= src.lengthMicros();
    }
    long wallStartNanos = System.nanoTime();
    long firstPts = Long.MIN_VALUE;
    GrabberSource.Picture p;
    while (!stopping && (p = src.next(config.skip(), pipeline.untilDueMicros())) != null) {
      stats.decoded.incrementAndGet();
      if (firstPts == Long.MIN_VALUE) {
        firstPts = p.ptsMicros();
      }
      long sinceStart = p.ptsMicros() - firstPts;
      if (!live && config.realtime()) {
        long sleepNanos = sinceStart * 1000 - (System.nanoTime() - wallStartNanos);
        if (sleepNanos > 0) {
          Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
        }
      }
      if (pipeline.sample(p.ptsMicros())) {
        long capture =
            live ? System.currentTimeMillis() * 1000 : wallStartMicros + Math.max(0, sinceStart);
        capture =
            lastCaptureMicros == Long.MIN_VALUE
                ? capture
                : Math.max(capture, lastCaptureMicros + 1);
        lastCaptureMicros = capture;
        Frame frame = pipeline.toFrame(p.frame(), p.ptsMicros(), capture);
        if (live) {
          if (!sink.tryPublish(frame)) {
            stats.dropped.incrementAndGet();
            dropLog.warn(
                "camera "
                    + config.id()
                    + ": Kafka is pushing back, dropping frames ("
                    + stats.dropped()
                    + " so far)");
          }
        } else {
          sink.publish(frame);
        }
      }
      if (System.nanoTime() - lastStatusNanos > STATUS_EVERY_NANOS) {
        status(CameraState.ONLINE, session, null);
      }
    }
  }

  private void finish(Outcome o, CameraState state, String session, String err) {
    this.error = err;
    this.endNanos = System.nanoTime();
    this.cpuNanos =
        java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    try {
      // Flush first: send failures are counted in the producer's callbacks, and the final
      // status must include them.
      sink.flush();
      status(state, session, err);
      sink.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status(state, session, err);
    }
    this.outcome = o;
  }

  private void status(CameraState state, String session, String err) {
    lastStatusNanos = System.nanoTime();
    stats.state(state);
    sink.status(
        CameraStatus.newBuilder()
            .setCameraId(config.id())
            .setState(state)
            .setTimeMicros(System.currentTimeMillis() * 1000)
            .setIngestSessionId(session)
            .setUri(config.source().redactedInput())
            .setError(redactor.redact(err)) // compacted topic, kept forever: never a password
            .setFramesDecoded(stats.decoded())
            .setFramesPublished(stats.published())
            .setFramesDropped(stats.dropped())
            .setCorruptPackets(stats.corruptPackets())
            .setReconnects(stats.reconnects())
            .setSendErrors(stats.sendErrors())
            .build());
  }

  /** Asks the loop to stop after the current frame. */
  public void stop() {
    stopping = true;
  }

  public CameraConfig config() {
    return config;
  }

  public CameraStats stats() {
    return stats;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The failure message if {@link #outcome()} is FAILED. */
  public String error() {
    return error;
  }

  /** Seconds since the worker started (until it ended). */
  public double elapsedSeconds() {
    long end = endNanos == 0 ? System.nanoTime() : endNanos;
    return startNanos == 0 ? 0 : (end - startNanos) / 1e9;
  }

  /** CPU seconds of this camera's decoder thread (decode, scale, JPEG, features), once ended. */
  public double decoderCpuSeconds() {
    return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e9;
  }

  /** One line: frames decoded, published, dropped, skipped-by-decode, elapsed, fps. */
  public String summary() {
    double s = elapsedSeconds();
    return String.format(
        "camera %s %s: decoded %d, published %d, dropped %d, skipped-by-decode %d, corrupt %d,"
            + " reconnects %d, send-errors %d, elapsed %.2f s, decoder cpu %.2f s, %.1f decoded fps%s",
        config.id(),
        outcome.name().toLowerCase(java.util.Locale.ROOT),
        stats.decoded(),
        stats.published(),
        stats.dropped(),
        stats.skippedByDecode(),
        stats.corruptPackets(),
        stats.reconnects(),
        stats.sendErrors(),
        s,
        decoderCpuSeconds(),
        s > 0 ? stats.decoded() / s : 0,
        error == null ? "" : ", error: " + error);
  }
}
