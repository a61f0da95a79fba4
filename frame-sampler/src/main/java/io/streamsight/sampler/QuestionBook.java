package io.streamsight.sampler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Camera id → its newest pending question, bounded and expiring: the memory behind {@link
 * PendingQuestions}. One entry per camera is enough: a frame fresh enough for the camera's newest
 * question is fresh enough for every older one, so several questions about one camera cost one
 * keyframe.
 *
 * <p>A question is pending from the earlier of its {@code createdMicros} and its arrival here (a
 * creation time ahead of this clock must not keep an entry alive) for {@link
 * QuestionSettings#pendingFor()}, and never past its deadline. At most {@link
 * QuestionSettings#maxCameras()} cameras: when full, expired entries are dropped first and a
 * question about yet another camera is refused ({@link Outcome#FULL}), so a flood of questions
 * cannot grow the sampler's heap.
 *
 * <p>Thread-safe: one writer ({@link #ask}, the watch thread) and every stream thread reading and
 * taking ({@link #takeFor}). A take that races with a newer question for the same camera fails and
 * leaves the newer one pending for the next frame.
 */
public final class QuestionBook implements PendingQuestions {
  /** What {@link #ask} did with a question. */
  public enum Outcome {
    PENDING,
    /** Past {@code pendingFor} or its deadline already: nothing to wait for. */
    EXPIRED,
    /** {@code maxCameras} cameras have questions pending already. */
    FULL
  }

  private record Pending(long createdMicros, long expiresMicros) {}

  private final QuestionSettings settings;
  private final LongSupplier wallMicros;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /**
   * @param wallMicros the wall clock in microseconds (tests pass their own)
   */
  public QuestionBook(QuestionSettings settings, LongSupplier wallMicros) {
    this.settings = settings;
    this.wallMicros = wallMicros;
  }

  /** With the system clock. */
  public QuestionBook(QuestionSettings settings) {
    this(settings, () -> System.currentTimeMillis() * 1000);
  }

  /**
   * A question about {@code cameraId} asked at {@code createdMicros}; {@code deadlineMicros} may be
   * null.
   */
  public Outcome ask(String cameraId, long createdMicros, Long deadlineMicros) {
    long now = wallMicros.getAsLong();
    long expires = Math.min(createdMicros, now) + settings.pendingForMicros();
    if (deadlineMicros != null) {
      expires = Math.min(expires, deadlineMicros);
    }
    if (expires <= now) {
      return Outcome.EXPIRED;
    }
    if (!pending.containsKey(cameraId) && pending.size() >= settings.maxCameras()) {
      purgeExpired();
      if (pending.size() >= settings.maxCameras()) {
        return Outcome.FULL;
      }
    }
    Pending q = new Pending(createdMicros, expires);
    pending.merge(
        cameraId,
        q,
        (old, neu) ->
            new Pending(
                Math.max(old.createdMicros, neu.createdMicros),
                Math.max(old.expiresMicros, neu.expiresMicros)));
    return Outcome.PENDING;
  }

  @Override
  public boolean takeFor(String cameraId, long captureMicros) {
    Pending q = pending.get(cameraId);
    if (q == null) {
      return false;
    }
    if (q.expiresMicros <= wallMicros.getAsLong()) {
      pending.remove(cameraId, q);
      return false;
    }
    if (captureMicros < q.createdMicros - settings.maxFrameAgeMicros()) {
      return false; // a backlog frame: the question wants a newer one
    }
    return pending.remove(cameraId, q);
  }

  /** Drops expired questions; the watch calls it now and then so quiet cameras do not linger. */
  public int purgeExpired() {
    long now = wallMicros.getAsLong();
    int before = pending.size();
    pending.values().removeIf(q -> q.expiresMicros <= now);
    return before - pending.size();
  }

  /** Cameras with a question pending (expired ones not yet purged included). */
  public int size() {
    return pending.size();
  }
}
