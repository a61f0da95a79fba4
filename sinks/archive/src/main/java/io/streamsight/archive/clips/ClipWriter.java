package io.streamsight.archive.clips;

import io.streamsight.archive.clips.ClipEncoder.ClipFrame;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one clip per alert event, from {@code before} ahead of its start to {@code after} past it.
 * It is scheduled on the STARTED (or phase-less) record once the "after" part should have been
 * captured (wall clock {@code start + after + grace}), and must run before {@code cameras.frames}'
 * 1 h retention. Bounded: at most {@code maxQueued} events wait (more are dropped and counted), and
 * {@code encoders} clips encode at once. Missing frames mean no clip (counted, logged once per
 * event); the alert is indexed either way, this never blocks the indexer.
 */
public final class ClipWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClipWriter.class);

  /** What the clip of an event covers and how the work is bounded. */
  public record Settings(
      Duration before,
      Duration after,
      Duration grace,
      int maxQueued,
      int encoders,
      int maxFrames) {}

  private final Settings settings;
  private final Supplier<FrameRangeReader> readers;
  private final ClipEncoder encoder;
  private final ClipStore store;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor pool;
  private final ThreadLocal<FrameRangeReader> reader = new ThreadLocal<>();
  private final java.util.Set<FrameRangeReader> allReaders =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong missing = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  public ClipWriter(
      Settings settings, Supplier<FrameRangeReader> readers, ClipEncoder encoder, ClipStore store) {
    this.settings = settings;
    this.readers = readers;
    this.encoder = encoder;
    this.store = store;
    this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "clip-timer"));
    this.pool =
        new ThreadPoolExecutor(
            settings.encoders(),
            settings.encoders(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(settings.maxQueued()),
            r -> daemon(r, "clip-encoder"),
            (r, ex) -> dropped.incrementAndGet());
  }

  /** Schedules the clip of {@code a}'s event; UPDATED and ENDED records add nothing. */
  public void offer(Alert a) {
    if (a.getPhase() != null && a.getPhase() != AlertPhase.STARTED) {
      return;
    }
    if (timer.getQueue().size() + pool.getQueue().size() >= settings.maxQueued()) {
      dropped.incrementAndGet();
      return;
    }
    long start =
        a.getEventStartMicros() != null ? a.getEventStartMicros() : a.getWindowStartMicros();
    long readyMillis =
        (start + settings.after().toNanos() / 1000) / 1000 + settings.grace().toMillis();
    long delay = Math.max(0, readyMillis - System.currentTimeMillis());
    String eventId = a.getAlertId();
    String camera = a.getCameraId();
    timer.schedule(
        () -> pool.execute(() -> write(eventId, camera, start)), delay, TimeUnit.MILLISECONDS);
  }

  private void write(String eventId, String camera, long startMicros) {
    try {
      FrameRangeReader r = reader.get();
      if (r == null) {
        r = readers.get();
        reader.set(r);
        allReaders.add(r);
      }
      List<ClipFrame> frames =
          r.read(
              camera,
              startMicros - settings.before().toNanos() / 1000,
              startMicros + settings.after().toNanos() / 1000,
              Duration.ofSeconds(30));
      if (frames.isEmpty()) {
        missing.incrementAndGet();
        LOG.info("{}: no clip: no frames of {} left on the frames topic", eventId, camera);
        return;
      }
      bytes.addAndGet(encoder.encode(frames, store.path(eventId)));
      written.incrementAndGet();
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      LOG.warn("{}: clip failed: {}", eventId, e.getMessage());
    }
  }

  public long written() {
    return written.get();
  }

  /** Events whose frames were gone (retention passed, camera gone). */
  public long missing() {
    return missing.get();
  }

  /** Events dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  public long failed() {
    return failed.get();
  }

  /** Bytes of the clips written since start (disk usage is {@link ClipStore}'s files). */
  public long bytesWritten() {
    return bytes.get();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    pool.shutdown();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    allReaders.forEach(FrameRangeReader::close);
  }
}
