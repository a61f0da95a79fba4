package io.streamsight.embedded.video;

/**
 * A stretch of synthetic video with one kind of content. Immutable; the {@code with*} methods
 * return copies.
 *
 * <ul>
 *   <li>{@link #solid(int, int, int, int)}: a flat colour;
 *   <li>{@link #pattern(Pattern, int)}: a structured picture (checkerboard, gradient, colour bars),
 *       useful because a flat colour has no edges and so a degenerate dHash;
 *   <li>{@link #withNoise(int)}: per-pixel uniform noise of +-amplitude (seeded, reproducible);
 *   <li>{@link #withFlicker(int)}: whole-frame brightness alternating +-amplitude every frame;
 *   <li>{@link #withMovingBox(int, int, int, int)}: a filled square crossing the frame left to
 *       right once over the segment.
 * </ul>
 *
 * @param frames number of frames in this segment (at the video's fps)
 */
public record Segment(
    Pattern pattern, int r, int g, int b, int frames, int noise, int flicker, MovingBox box) {

  /** What fills the background of a segment. */
  public enum Pattern {
    /** The segment's colour everywhere. */
    SOLID,
    /** 8x8 checkerboard of the colour and its inverse. */
    CHECKER,
    /** Horizontal gradient from black to the colour. */
    GRADIENT,
    /** Eight vertical SMPTE-like colour bars (the colour is ignored). */
    BARS
  }

  /** A filled square of side {@code size} px and colour (r,g,b) moving left to right. */
  public record MovingBox(int size, int r, int g, int b) {}

  public Segment {
    if (frames <= 0) {
      throw new IllegalArgumentException("segment frames must be > 0, got " + frames);
    }
    checkByte("r", r);
    checkByte("g", g);
    checkByte("b", b);
    if (noise < 0 || flicker < 0) {
      throw new IllegalArgumentException("noise and flicker must be >= 0");
    }
  }

  /** A flat colour for {@code frames} frames. */
  public static Segment solid(int r, int g, int b, int frames) {
    return new Segment(Pattern.SOLID, r, g, b, frames, 0, 0, null);
  }

  /** A pattern (white-based where a colour is used) for {@code frames} frames. */
  public static Segment pattern(Pattern pattern, int frames) {
    return new Segment(pattern, 255, 255, 255, frames, 0, 0, null);
  }

  /** Same segment, the pattern drawn in colour (r,g,b). */
  public Segment withColor(int r, int g, int b) {
    return new Segment(pattern, r, g, b, frames, noise, flicker, box);
  }

  public Segment withNoise(int amplitude) {
    return new Segment(pattern, r, g, b, frames, amplitude, flicker, box);
  }

  public Segment withFlicker(int amplitude) {
    return new Segment(pattern, r, g, b, frames, noise, amplitude, box);
  }

  public Segment withMovingBox(int size, int r, int g, int b) {
    return new Segment(
        pattern, this.r, this.g, this.b, frames, noise, flicker, new MovingBox(size, r, g, b));
  }

  private static void checkByte(String name, int v) {
    if (v < 0 || v > 255) {
      throw new IllegalArgumentException(name + " must be in 0..255, got " + v);
    }
  }
}
