package io.streamsight.sampler;

/**
 * How different a frame is from the last keyframe, in [0, 1], from ingest's compact features only.
 *
 * <p>Three signals, each chosen for what it ignores:
 *
 * <ul>
 *   <li>thumbnail difference after removing the mean difference: a global brightness flicker moves
 *       every cell alike and cancels out (only a mean shift beyond a flicker tolerance counts);
 *       sensor noise averages away inside each cell;
 *   <li>histogram earth mover's distance per channel: a small brightness shift moves mass to the
 *       next bin only (small distance), a new scene moves it far (large distance);
 *   <li>dHash Hamming distance over <em>stable</em> bits only: on flat areas neighbouring cells are
 *       nearly equal and their bit flips with noise, so a bit counts only where the keyframe's
 *       thumbnail shows real contrast.
 * </ul>
 *
 * A fourth signal catches small objects: the number of cells that changed clearly (again after
 * removing the mean shift); {@link Novelty#total()} takes the larger of the mix and this.
 *
 * <p>Cells (and hash bits) in the ROI-ignored mask are left out of the thumbnail and hash terms.
 */
public final class NoveltyScorer {
  static final double W_THUMB = 0.5;
  static final double W_HIST = 0.3;
  static final double W_HASH = 0.2;

  /** Thumbnail mean-absolute difference (0..255) that counts as fully different. */
  private static final double THUMB_FULL_SCALE = 48.0;

  /** Global brightness change (grey levels) treated as flicker, not as a new scene. */
  private static final double FLICKER_TOLERANCE = 16.0;

  /** Grey-level contrast between neighbours below which a dHash bit is noise. */
  private static final int STABLE_CONTRAST = 10;

  private NoveltyScorer() {}

  /**
   * Per-cell change (grey levels, after removing the mean shift) that counts a cell as changed.
   * Sensor noise averages away inside a cell (hundreds of pixels) and flicker is removed with the
   * mean, so a cell past this is a real local change.
   */
  private static final double CELL_CHANGED = 32.0;

  /** Novelty per clearly changed cell: two cells (1/32 of the picture) reach the default 0.25. */
  private static final double PER_CHANGED_CELL = 0.125;

  /**
   * The local term is for concentrated change (an object): at most this many cells changed at all
   * ({@link #CELL_TOUCHED}). When more cells moved, the change is broad (a pan, a cut) and the
   * weighted mix measures it; otherwise a slow pan, which moves every edge a little and so soon
   * changes a few cells clearly, would fire at every min gap.
   */
  private static final int LOCAL_MAX_CELLS = 12;

  /** Per-cell change above the noise floor: a cell that moved at all. */
  private static final double CELL_TOUCHED = 8.0;

  /**
   * Components and total; {@link #total()} is what the rules compare with the threshold. {@code
   * changedCells} out of {@code comparedCells} (those outside the ROI mask) also tells a new scene
   * from something moving in an unchanged one.
   */
  public record Novelty(
      double thumbnail,
      double histogram,
      double hash,
      int changedCells,
      int touchedCells,
      int comparedCells) {
    /** Share of the compared cells that changed clearly. */
    public double changedShare() {
      return (double) changedCells / comparedCells;
    }

    public double total() {
      // The weighted mix measures broad change; it dilutes a small object (a person crossing is
      // a few cells of 64), so a few clearly changed cells count on their own.
      double local =
          touchedCells <= LOCAL_MAX_CELLS ? Math.min(1.0, changedCells * PER_CHANGED_CELL) : 0;
      return Math.max(W_THUMB * thumbnail + W_HIST * histogram + W_HASH * hash, local);
    }
  }

  public static Novelty score(
      byte[] thumbA,
      float[] histA,
      long hashA,
      byte[] thumbB,
      float[] histB,
      long hashB,
      long ignored) {
    // The mean shift (global brightness change) is shared by the thumbnail terms: compute it once.
    double shift = meanShift(thumbA, thumbB, ignored);
    return new Novelty(
        thumbnail(thumbA, thumbB, ignored, shift),
        histogram(histA, histB),
        hash(thumbA, hashA, hashB, ignored),
        cellsBeyond(thumbA, thumbB, ignored, shift, CELL_CHANGED),
        cellsBeyond(thumbA, thumbB, ignored, shift, CELL_TOUCHED),
        64 - Long.bitCount(ignored));
  }

  /** Mean grey-level difference a - b over the cells not ignored. */
  static double meanShift(byte[] a, byte[] b, long ignored) {
    int n = 0;
    double sum = 0;
    for (int i = 0; i < 64; i++) {
      if ((ignored >>> i & 1) == 0) {
        sum += (a[i] & 0xff) - (b[i] & 0xff);
        n++;
      }
    }
    return sum / n;
  }

  static double thumbnail(byte[] a, byte[] b, long ignored, double mean) {
    int n = 0;
    double mad = 0;
    for (int i = 0; i < 64; i++) {
      if ((ignored >>> i & 1) == 0) {
        mad += Math.abs((a[i] & 0xff) - (b[i] & 0xff) - mean);
        n++;
      }
    }
    // A uniform change beyond flicker (e.g. a cut between two flat scenes) still counts.
    double meanExcess = Math.max(0, Math.abs(mean) - FLICKER_TOLERANCE);
    return Math.min(1.0, (mad / n + meanExcess) / THUMB_FULL_SCALE);
  }

  /** Cells whose change, after removing the mean shift, exceeds {@code limit} grey levels. */
  static int cellsBeyond(byte[] a, byte[] b, long ignored, double mean, double limit) {
    int changed = 0;
    for (int i = 0; i < 64; i++) {
      if ((ignored >>> i & 1) == 0 && Math.abs((a[i] & 0xff) - (b[i] & 0xff) - mean) > limit) {
        changed++;
      }
    }
    return changed;
  }

  static double histogram(float[] a, float[] b) {
    int bins = a.length / 3;
    double total = 0;
    for (int ch = 0; ch < 3; ch++) {
      double cdfA = 0;
      double cdfB = 0;
      double emd = 0;
      for (int i = 0; i < bins - 1; i++) {
        cdfA += a[ch * bins + i];
        cdfB += b[ch * bins + i];
        emd += Math.abs(cdfA - cdfB);
      }
      total += emd / (bins - 1);
    }
    return Math.min(1.0, total / 3);
  }

  static double hash(byte[] refThumb, long a, long b, long ignored) {
    int stable = 0;
    int differ = 0;
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 7; c++) {
        int bit = r * 8 + c;
        if ((ignored >>> bit & 1) != 0 || (ignored >>> (bit + 1) & 1) != 0) {
          continue;
        }
        if (Math.abs((refThumb[bit] & 0xff) - (refThumb[bit + 1] & 0xff)) >= STABLE_CONTRAST) {
          stable++;
          if (((a ^ b) >>> bit & 1) != 0) {
            differ++;
          }
        }
      }
    }
    return stable == 0 ? 0 : (double) differ / stable;
  }
}
