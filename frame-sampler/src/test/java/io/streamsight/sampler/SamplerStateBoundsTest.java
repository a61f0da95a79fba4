package io.streamsight.sampler;

import static io.streamsight.sampler.TestFrames.frame;
import static io.streamsight.sampler.TestFrames.scene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler's per-camera state is bounded (issue 27, item 8): a camera not seen for {@code
 * state.cameraTtl} is deleted from the store, and a flood of new camera ids beyond {@code
 * state.maxNewCamerasPerMinute} is dead-lettered and counted instead of growing the state.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SamplerStateBoundsTest {
  private static final long SEC = 1_000_000L;
  private static final long T0 = 1_700_000_000L * SEC;
  private static final BufferedImage STREET = scene(1);

  @TempDir Path stateDir;
  private SamplerDriver sampler;

  private SamplerDriver start(StateSettings state) {
    sampler = new SamplerDriver(SamplerConfig.standard().withState(state), stateDir);
    return sampler;
  }

  @AfterEach
  void close() {
    if (sampler != null) {
      sampler.close();
    }
  }

  private KeyValueStore<String, byte[]> store() {
    return sampler.driver.getKeyValueStore(SamplerTopology.STATE_STORE);
  }

  private List<String> storedCameras() {
    List<String> ids = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store().all()) {
      it.forEachRemaining((KeyValue<String, byte[]> e) -> ids.add(e.key));
    }
    return ids;
  }

  private double metric(String name) {
    for (var e : sampler.driver.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals(name) && n.group().equals("stream-frame-sampler-metrics")) {
        return ((Number) ((Metric) e.getValue()).metricValue()).doubleValue();
      }
    }
    throw new AssertionError("no metric " + name);
  }

  @Test
  void aCameraNotSeenForTheTtlIsDeletedFromTheStoreAndStartsAfreshWhenItReturns() {
    SamplerDriver s = start(new StateSettings(Duration.ofMinutes(1), 1000));
    s.send(frame("lobby", "s1", 0, T0, STREET));
    s.send(frame("dock", "s1", 0, T0, STREET));
    s.driver.advanceWallClockTime(Duration.ofSeconds(40));
    s.send(frame("dock", "s1", 1, T0 + 40 * SEC, STREET));
    assertEquals(List.of("dock", "lobby"), storedCameras().stream().sorted().toList());

    // lobby's last frame is now 70 s old, dock's 30 s: only lobby is forgotten.
    s.driver.advanceWallClockTime(Duration.ofSeconds(30));
    assertEquals(List.of("dock"), storedCameras());
    assertNull(store().get("lobby"));
    assertEquals(1.0, metric("cameras-expired-total"));

    s.all(); // drop what was forwarded so far
    s.send(frame("lobby", "s1", 1, T0 + 70 * SEC, STREET));
    List<Keyframe> out = s.keyframes();
    assertEquals(1, out.size());
    assertEquals(KeyframeReason.FIRST, out.get(0).getReason(), "a forgotten camera starts afresh");
    assertNotNull(store().get("lobby"));
  }

  @Test
  void aCameraStillSendingFramesIsNeverExpired() {
    SamplerDriver s = start(new StateSettings(Duration.ofMinutes(1), 1000));
    for (int i = 0; i < 10; i++) {
      s.send(frame("lobby", "s1", i, T0 + i * 30 * SEC, STREET));
      s.driver.advanceWallClockTime(Duration.ofSeconds(30));
    }
    assertEquals(List.of("lobby"), storedCameras());
    assertEquals(0.0, metric("cameras-expired-total"));
  }

  @Test
  void aFloodOfNewCameraIdsIsDeadLetteredWithTheReasonAndCounted() {
    SamplerDriver s = start(new StateSettings(Duration.ofHours(24), 5));
    for (int i = 0; i < 8; i++) {
      s.send(frame("cam-" + i, "s1", 0, T0, STREET));
    }
    assertEquals(5, s.keyframes().size(), "the first 5 new ids pass");
    assertEquals(5, storedCameras().size(), "the flood did not grow the state");
    List<DeadLetter> dead = s.deadLetters.readValuesToList();
    assertEquals(3, dead.size());
    for (DeadLetter d : dead) {
      String msg = d.getErrorMessage().toString();
      assertTrue(msg.contains("state.maxNewCamerasPerMinute (5)"), msg);
      assertTrue(d.getOriginalValue().remaining() > 0, "the frame is kept as evidence");
    }
    assertEquals(3.0, metric("new-cameras-refused-total"));

    // Known cameras always pass, even with the bucket empty.
    s.send(frame("cam-0", "s1", 1, T0 + 40 * SEC, scene(2)));
    assertEquals(1, s.keyframes().size());
    assertEquals(0, s.deadLetters.readValuesToList().size());

    // A minute later the bucket has refilled: a refused camera gets in.
    s.driver.advanceWallClockTime(Duration.ofMinutes(1));
    s.send(frame("cam-7", "s1", 1, T0 + 60 * SEC, STREET));
    assertEquals(1, s.keyframes().size());
    assertNotNull(store().get("cam-7"));
    assertEquals(3.0, metric("new-cameras-refused-total"));
  }

  @Test
  void stateWrittenBeforeItsArrivalTimeWasKeptReadsAsUnknownArrival() {
    SamplerState v3 = new SamplerState("s1", T0, T0, 7L, new byte[64], new float[24], T0, 1234L);
    assertEquals(1234L, SamplerState.fromBytes(v3.toBytes()).lastArrivalMillis());
    byte[] v2 = v3.toBytes();
    v2[0] = 2; // version 2: the same layout without the trailing arrival time
    byte[] cut = java.util.Arrays.copyOf(v2, v2.length - 8);
    SamplerState read = SamplerState.fromBytes(cut);
    assertEquals(-1L, read.lastArrivalMillis());
    assertEquals(T0, read.lastForwardedMicros());
  }
}
