package io.streamsight.sampler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Per-camera state kept in the store (and its changelog): the last keyframe's features and time,
 * the session it belongs to, and the newest capture time seen (to recognise late frames).
 * Serialised by hand into ~170 bytes: it is written once per frame.
 */
public record SamplerState(
    String sessionId,
    long lastKeyframeMicros,
    long lastSeenMicros,
    long dhash,
    byte[] thumbnail,
    float[] histogram) {
  private static final byte VERSION = 1;

  SamplerState seen(long micros) {
    return new SamplerState(
        sessionId,
        lastKeyframeMicros,
        Math.max(lastSeenMicros, micros),
        dhash,
        thumbnail,
        histogram);
  }

  static SamplerState keyframe(FrameHeader f, long lastSeenMicros) {
    return new SamplerState(
        f.ingestSessionId(),
        f.captureTimeMicros(),
        Math.max(lastSeenMicros, f.captureTimeMicros()),
        f.dhash(),
        f.thumbnail(),
        f.histogram());
  }

  public byte[] toBytes() {
    byte[] sid = sessionId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + sid.length + 8 * 3 + 64 + 4 * histogram.length + 4);
    b.put(VERSION).putInt(sid.length).put(sid);
    b.putLong(lastKeyframeMicros).putLong(lastSeenMicros).putLong(dhash).put(thumbnail);
    b.putInt(histogram.length);
    for (float v : histogram) {
      b.putFloat(v);
    }
    return b.array();
  }

  public static SamplerState fromBytes(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte v = b.get();
    if (v != VERSION) {
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
    return new SamplerState(new String(sid, StandardCharsets.UTF_8), key, seen, hash, thumb, hist);
  }
}
