package io.streamsight.sampler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Per-camera state kept in the store (and its changelog): the last keyframe's features and time,
 * the session it belongs to, the newest capture time seen (to recognise late frames) and the
 * capture time of the last record forwarded (keyframe or progress, to space progress records).
 * Serialised by hand into ~190 bytes: it is written once per frame. Also the wall time the last
 * frame arrived ({@code lastArrivalMillis}, for {@link StateSettings#cameraTtl()}; -1 = unknown,
 * read from a state written before version 3). Versions 1 (without {@code lastForwardedMicros},
 * which then is the last keyframe's time) and 2 are still read.
 */
public record SamplerState(
    String sessionId,
    long lastKeyframeMicros,
    long lastSeenMicros,
    long dhash,
    byte[] thumbnail,
    float[] histogram,
    long lastForwardedMicros,
    long lastArrivalMillis) {
  private static final byte VERSION_1 = 1;
  private static final byte VERSION_2 = 2;
  private static final byte VERSION = 3;

  /** After a frame arrived at wall time {@code millis}. */
  SamplerState arrived(long millis) {
    return new SamplerState(
        sessionId,
        lastKeyframeMicros,
        lastSeenMicros,
        dhash,
        thumbnail,
        histogram,
        lastForwardedMicros,
        Math.max(lastArrivalMillis, millis));
  }

  SamplerState seen(long micros) {
    return new SamplerState(
        sessionId,
        lastKeyframeMicros,
        Math.max(lastSeenMicros, micros),
        dhash,
        thumbnail,
        histogram,
        lastForwardedMicros,
        lastArrivalMillis);
  }

  /** After a progress record for {@code micros} was forwarded. */
  SamplerState forwarded(long micros) {
    return new SamplerState(
        sessionId,
        lastKeyframeMicros,
        lastSeenMicros,
        dhash,
        thumbnail,
        histogram,
        Math.max(lastForwardedMicros, micros),
        lastArrivalMillis);
  }

  /** The state after keyframe {@code f}; {@code previous} is null for a new camera or session. */
  static SamplerState keyframe(FrameHeader f, SamplerState previous) {
    long t = f.captureTimeMicros();
    return new SamplerState(
        f.ingestSessionId(),
        t,
        previous == null ? t : Math.max(previous.lastSeenMicros, t),
        f.dhash(),
        f.thumbnail(),
        f.histogram(),
        previous == null ? t : Math.max(previous.lastForwardedMicros, t),
        previous == null ? -1 : previous.lastArrivalMillis);
  }

  public byte[] toBytes() {
    byte[] sid = sessionId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(1 + 4 + sid.length + 8 * 3 + 64 + 4 * histogram.length + 4 + 8 + 8);
    b.put(VERSION).putInt(sid.length).put(sid);
    b.putLong(lastKeyframeMicros).putLong(lastSeenMicros).putLong(dhash).put(thumbnail);
    b.putInt(histogram.length);
    for (float v : histogram) {
      b.putFloat(v);
    }
    b.putLong(lastForwardedMicros);
    b.putLong(lastArrivalMillis);
    return b.array();
  }

  public static SamplerState fromBytes(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte v = b.get();
    if (v != VERSION && v != VERSION_2 && v != VERSION_1) {
      throw new IllegalStateException("unknown sampler state version " + v);
    }
    byte[] sid = new byte[b.getInt()];
    b.get(sid);
    long key = b.getLong();
    long seen = b.getLong();
    long hash = b.getLong();
    byte[] thumb = new byte[64];
    b.get(thumb);
    float[] hist = new float[b.getInt()];
    for (int i = 0; i < hist.length; i++) {
      hist[i] = b.getFloat();
    }
    long forwarded = v == VERSION_1 ? key : b.getLong();
    long arrival = v == VERSION ? b.getLong() : -1;
    return new SamplerState(
        new String(sid, StandardCharsets.UTF_8), key, seen, hash, thumb, hist, forwarded, arrival);
  }
}
