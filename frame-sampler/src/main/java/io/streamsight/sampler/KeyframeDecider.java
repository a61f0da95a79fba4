package io.streamsight.sampler;

import io.streamsight.schemas.avro.KeyframeReason;

/**
 * The keyframe rules, as a pure function of (state, frame, settings). In order:
 *
 * <ol>
 *   <li>no state, or a new ingest session: keyframe (FIRST / SESSION_CHANGE);
 *   <li>a frame older than one already seen is late: never a keyframe (it would reorder the
 *       camera's keyframes), but it is not an error either;
 *   <li>closer than minGap to the last keyframe: no keyframe (novelty is kept relative to the last
 *       keyframe, so a change suppressed here is caught by the first frame after minGap);
 *   <li>maxGap reached: keyframe (MAX_GAP) whatever the novelty;
 *   <li>novelty at or above the threshold: keyframe (SCENE_CHANGE when most of the picture or its
 *       colours changed, MOTION when something changed or moved in an otherwise unchanged scene).
 * </ol>
 *
 * <p>A live question pending for the camera ({@link #mayAnswer}, {@link #answering}) makes a frame
 * that passed rule 2 a keyframe with reason QUERY, minGap notwithstanding: the question wants the
 * camera as it is now, and questions are few. A frame that is a keyframe anyway keeps its reason. A
 * QUERY keyframe is a keyframe like the others for the state (novelty reference, maxGap, spacing of
 * progress records): it is what the operator last received from the camera.
 */
public final class KeyframeDecider {
  private KeyframeDecider() {}

  /** Outcome: {@code reason == null} means no keyframe. */
  public record Decision(KeyframeReason reason, double novelty, SamplerState next) {
    public boolean emit() {
      return reason != null;
    }
  }

  /**
   * Whether {@code f} may answer a pending question: not a late frame (rule 2), which would reorder
   * the camera's keyframes.
   */
  public static boolean mayAnswer(SamplerState s, FrameHeader f) {
    return s == null
        || !s.sessionId().equals(f.ingestSessionId())
        || f.captureTimeMicros() >= s.lastSeenMicros();
  }

  /**
   * {@code d} for a frame that answers a pending question: unchanged if it is a keyframe already,
   * else a QUERY keyframe with the frame's novelty against the last keyframe.
   */
  public static Decision answering(SamplerState s, FrameHeader f, CameraSettings cfg, Decision d) {
    if (d.emit()) {
      return d;
    }
    // Not a keyframe, so s is a state of f's session (rule 1 emits otherwise).
    double novelty = novelty(s, f, cfg).total();
    return new Decision(KeyframeReason.QUERY, novelty, SamplerState.keyframe(f, s));
  }

  private static NoveltyScorer.Novelty novelty(SamplerState s, FrameHeader f, CameraSettings cfg) {
    return NoveltyScorer.score(
        s.thumbnail(),
        s.histogram(),
        s.dhash(),
        f.thumbnail(),
        f.histogram(),
        f.dhash(),
        cfg.ignoredCells());
  }

  public static Decision decide(SamplerState s, FrameHeader f, CameraSettings cfg) {
    long t = f.captureTimeMicros();
    if (s == null) {
      return new Decision(KeyframeReason.FIRST, 1.0, SamplerState.keyframe(f, null));
    }
    if (!s.sessionId().equals(f.ingestSessionId())) {
      return new Decision(KeyframeReason.SESSION_CHANGE, 1.0, SamplerState.keyframe(f, null));
    }
    if (t < s.lastSeenMicros()) {
      return new Decision(null, 0, s);
    }
    long gap = t - s.lastKeyframeMicros();
    if (gap < cfg.minGapMicros()) {
      return new Decision(null, 0, s.seen(t));
    }
    NoveltyScorer.Novelty n = novelty(s, f, cfg);
    double novelty = n.total();
    if (gap >= cfg.maxGapMicros()) {
      return new Decision(KeyframeReason.MAX_GAP, novelty, SamplerState.keyframe(f, s));
    }
    if (novelty >= cfg.noveltyThreshold()) {
      KeyframeReason reason =
          n.changedShare() >= 0.5 || n.histogram() >= 0.1
              ? KeyframeReason.SCENE_CHANGE
              : KeyframeReason.MOTION;
      return new Decision(reason, novelty, SamplerState.keyframe(f, s));
    }
    return new Decision(null, novelty, s.seen(t));
  }
}
