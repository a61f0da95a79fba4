package io.streamsight.sampler;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigDoc;
import java.time.Duration;

/**
 * The {@code state} keys of {@code sampler.yaml}: bounds on the per-camera state, which would
 * otherwise grow with every camera id ever seen (the store is in memory, the quiet-camera
 * punctuator walks all of it every progress interval, and a restart restores all of it from the
 * changelog: an out-of-memory error would become a crash loop). Bound as is; the constructor checks
 * the values and names the key.
 *
 * @param cameraTtl a camera with no frame for this much wall time is forgotten
 * @param maxNewCamerasPerMinute new camera ids accepted per minute per task
 */
public record StateSettings(
    @ConfigDoc(
            value =
                "A camera with no frame for this much wall time is forgotten: its state (the last"
                    + " keyframe's features and times) is deleted from the store and its changelog,"
                    + " like the operator's 24 h state TTL. Its next frame starts it afresh (a FIRST"
                    + " keyframe). Counted as the Kafka Streams metric cameras-expired-total.",
            defaultValue = "24h")
        Duration cameraTtl,
    @ConfigDoc(
            value =
                "At most this many camera ids without state are accepted per minute and partition"
                    + " of cameras.frames (a bucket of this many, refilled evenly over a minute;"
                    + " known cameras always pass). A frame of a further new id is dead-lettered"
                    + " to dlq.frame-sampler naming this key, and counted as the Kafka Streams"
                    + " metric new-cameras-refused-total; the camera is accepted once the bucket"
                    + " refills.",
            defaultValue = "1000")
        int maxNewCamerasPerMinute) {

  public static final StateSettings DEFAULTS = new StateSettings(Duration.ofHours(24), 1000);

  public StateSettings {
    Checks.positive("cameraTtl", cameraTtl);
    Checks.atLeast("maxNewCamerasPerMinute", maxNewCamerasPerMinute, 1);
  }
}
