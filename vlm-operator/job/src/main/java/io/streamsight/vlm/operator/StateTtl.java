package io.streamsight.vlm.operator;

import io.streamsight.schemas.validation.RecordChecks;
import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * How long per-camera state lives without updates: a day. Cameras come and go (renamed, removed, a
 * typo in a config that ran for an hour); without expiry each one would keep its clock, open window
 * keyframes, latest window (JPEGs) and cooldowns in every checkpoint forever.
 *
 * <p>Why a day: it is far longer than any window, idleness or clock-step bound, so a live camera
 * never loses state it still uses (every keyframe rewrites its clock), and it equals the longest
 * cooldown a rule may have ({@link RecordChecks#MAX_COOLDOWN}), so an alert's cooldown entry cannot
 * expire before the cooldown is over. The cost is that a camera gone quiet for a day answers
 * questions with "unknown camera", which is the truth.
 *
 * <p>Expiry is on processing time after the last write (reads do not extend it, so a camera only
 * asked about is not kept alive by the questions); expired values are never returned, and are
 * dropped from full snapshots and, incrementally, from the heap backend (RocksDB compaction drops
 * them with its default filter).
 */
public final class StateTtl {
  public static final Duration AFTER_LAST_WRITE = Duration.ofHours(24);

  static {
    if (AFTER_LAST_WRITE.compareTo(RecordChecks.MAX_COOLDOWN) < 0) {
      throw new IllegalStateException("state TTL must outlast the longest rule cooldown");
    }
  }

  private StateTtl() {}

  public static StateTtlConfig config() {
    return StateTtlConfig.newBuilder(AFTER_LAST_WRITE)
        .updateTtlOnCreateAndWrite()
        .neverReturnExpired()
        .cleanupFullSnapshot()
        .build();
  }
}
