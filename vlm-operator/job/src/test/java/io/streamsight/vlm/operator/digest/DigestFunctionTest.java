package io.streamsight.vlm.operator.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.DigestEvent;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.config.DigestConfig;
import io.streamsight.vlm.operator.config.DigestConfig.Similarity;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.AvroRecordSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The digest function in Flink's keyed operator harness: 5-minute periods (and hourly where said),
 * texts compared by word overlap (the reference similarity: no model to load), fold gaps up to 1
 * min, lateness 1 min, no idleness fallback. Times are seconds after {@link #T0}, which lies on the
 * 5-minute and hourly grids; the harness's processing time (the wall clock) is an hour later.
 */
@Timeout(30)
class DigestFunctionTest {
  private static final long T0 = 1_699_999_200L * 1_000_000; // 2023-11-14T22:00:00Z, µs
  private static final long WALL = T0 / 1000 + 3_600_000;
  private static final String CAM = "cam-1";

  private static OperatorConfig config(Duration... periods) {
    OperatorConfig d = OperatorConfig.defaults();
    DigestConfig c =
        d.digests()
            .withSimilarity(Similarity.WORDS)
            .withPeriods(periods.length == 0 ? List.of(Duration.ofMinutes(5)) : List.of(periods));
    return d.withDigests(c);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, DigestInput, Digest> harness(
      OperatorConfig config, OperatorSubtaskState restoreFrom) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new DigestFunction(config)),
            (KeySelector<DigestInput, String>) DigestInput::cameraId,
            Types.STRING);
    // Digests are Avro records: the harness must not guess their type (that needs flink-avro).
    h.setup(new AvroRecordSerializer<>(Digest.class));
    h.setProcessingTime(WALL);
    h.setStateTtlProcessingTime(WALL);
    if (restoreFrom != null) {
      h.initializeState(restoreFrom);
    }
    h.open();
    return h;
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, DigestInput, Digest> harness(
      Duration... periods) throws Exception {
    return harness(config(periods), null);
  }

  private static long at(double seconds) {
    return T0 + Math.round(seconds * 1_000_000);
  }

  static Summary summary(String camera, double from, double to, String text) {
    return Summary.newBuilder()
        .setCameraId(camera)
        .setWindowStartMicros(at(from))
        .setWindowEndMicros(at(to))
        .setKeyframes(
            List.of(new KeyframeRef("cameras.keyframes", 0, (long) (from * 10), at(from + 1), 7L)))
        .setText(text)
        .setModelId("fixture")
        .setTimings(InferenceTimings.newBuilder().build())
        .build();
  }

  private static void window(
      KeyedOneInputStreamOperatorTestHarness<String, DigestInput, Digest> h,
      double from,
      double to,
      String text)
      throws Exception {
    h.processElement(new StreamRecord<>(DigestInput.of(summary(CAM, from, to, text))));
  }

  private static void alert(
      KeyedOneInputStreamOperatorTestHarness<String, DigestInput, Digest> h, double from, double to)
      throws Exception {
    Alert a =
        Alert.newBuilder()
            .setAlertId("a" + from)
            .setRuleId("r")
            .setCameraId(CAM)
            .setQuestion("Is the scene blue?")
            .setPYes(0.9)
            .setThreshold(0.5)
            .setSeverity(Severity.HIGH)
            .setWindowStartMicros(at(from))
            .setWindowEndMicros(at(to))
            .setEvidence(List.of())
            .setModelId("fixture")
            .build();
    h.processElement(new StreamRecord<>(DigestInput.of(a)));
  }

  private static void tick(
      KeyedOneInputStreamOperatorTestHarness<String, DigestInput, Digest> h, double seconds)
      throws Exception {
    h.processElement(new StreamRecord<>(DigestInput.tick(CAM, at(seconds))));
  }

  /**
   * Each event as {@code start-end text} in seconds after T0, continued events marked {@code +}.
   */
  private static List<String> events(Digest d) {
    List<String> out = new ArrayList<>();
    for (DigestEvent e : d.getEvents()) {
      out.add(
          (e.getContinued() ? "+" : "")
              + (e.getStartMicros() - T0) / 1_000_000
              + "-"
              + (e.getEndMicros() - T0) / 1_000_000
              + " "
              + e.getText());
    }
    return out;
  }

  private static List<Digest> digests(
      KeyedOneInputStreamOperatorTestHarness<String, DigestInput, Digest> h) {
    return h.extractOutputValues();
  }

  @Test
  void shouldMergeSameMeaningWindowsAndSplitWhenTheSceneChanges() throws Exception {
    var h = harness();
    window(h, 0, 10, "A red car is parked.");
    window(h, 10, 20, "a red car is parked");
    window(h, 20, 30, "A red car is parked in the sun.");
    window(h, 30, 40, "A blue truck drives by.");
    window(h, 40, 50, "A blue truck drives by.");
    assertEquals(List.of(), digests(h), "the period is not over");
    window(h, 300, 310, "A blue truck drives by.");
    List<Digest> out = digests(h);
    assertEquals(1, out.size());
    Digest d = out.get(0);
    assertEquals(CAM, d.getCameraId());
    assertEquals(T0, d.getPeriodStartMicros());
    assertEquals(at(300), d.getPeriodEndMicros());
    assertEquals(List.of("0-30 A red car is parked.", "30-50 A blue truck drives by."), events(d));
    assertEquals(5, d.getWindows());
    assertEquals(0, d.getAlerts());
    KeyframeRef kf = d.getEvents().get(0).getKeyframe();
    assertNotNull(kf, "the opening window's first keyframe");
    assertEquals(at(1), kf.getCaptureTimeMicros());
    assertEquals(7L, kf.getSequence());
    h.close();
  }

  @Test
  void shouldFoldWindowsWithNothingNewIntoTheOpenEventSoAStaticSceneIsOneLine() throws Exception {
    var h = harness();
    window(h, 0, 10, "An empty parking lot.");
    window(h, 40, 50, "An empty parking lot."); // 30 s without a keyframe: nothing new
    window(h, 90, 100, "A man walks to his car."); // 40 s gap, then a change
    window(h, 200, 210, "An empty parking lot."); // 100 s gap: longer than 1 min, camera away
    window(h, 300, 310, "An empty parking lot.");
    Digest d = digests(h).get(0);
    assertEquals(
        List.of(
            "0-90 An empty parking lot.",
            "90-100 A man walks to his car.",
            "200-210 An empty parking lot."),
        events(d));
    assertEquals(4, d.getWindows());
    h.close();
  }

  @Test
  void shouldCountAlertsInThePeriodTheirWindowEndedInEvenWhenTheyComeEarly() throws Exception {
    var h = harness();
    window(h, 280, 290, "A blue scene.");
    alert(h, 290, 300); // scored as the keyframe came: before its window's summary
    alert(h, 300, 310); // the next period's, also before the summary that ends this one
    window(h, 290, 300, "A blue scene.");
    window(h, 300, 310, "A blue scene.");
    window(h, 600, 610, "A blue scene.");
    List<Digest> out = digests(h);
    assertEquals(2, out.size(), "" + out);
    assertEquals(1, out.get(0).getAlerts());
    assertEquals(2, out.get(0).getWindows());
    assertEquals(1, out.get(1).getAlerts());
    assertEquals(List.of("+300-310 A blue scene."), events(out.get(1)));
    h.close();
  }

  @Test
  void shouldCloseAQuietCamerasPeriodInEventTimeNeverByTheWallClock() throws Exception {
    var h = harness();
    window(h, 0, 10, "A red scene.");
    tick(h, 12);
    h.setProcessingTime(WALL + 3_600_000); // an hour of wall time: nothing
    assertEquals(List.of(), digests(h));
    tick(h, 330); // keyframes 30 s past the end: within the lateness, summaries may still come
    assertEquals(List.of(), digests(h));
    tick(h, 360);
    assertEquals(1, digests(h).size());
    assertEquals(List.of("0-10 A red scene."), events(digests(h).get(0)));
    window(h, 290, 300, "A blue scene."); // too late now: counted, in no digest
    tick(h, 1000);
    assertEquals(1, digests(h).size(), "nothing happened after the first period");
    h.close();
  }

  @Test
  void shouldEmitWhatIsOpenWhenABoundedInputEnds() throws Exception {
    var h = harness();
    window(h, 0, 10, "A red car is parked.");
    window(h, 10, 20, "Two people talk.");
    h.processWatermark(new Watermark(Long.MAX_VALUE));
    List<Digest> out = digests(h);
    assertEquals(1, out.size());
    assertEquals(
        List.of("0-10 A red car is parked.", "10-20 Two people talk."), events(out.get(0)));
    h.close();
  }

  @Test
  void shouldShowAStaticHourAsOneLineHourlyAndAsContinuedLinesEveryFiveMinutes() throws Exception {
    var h = harness(Duration.ofMinutes(5), Duration.ofHours(1));
    for (int s = 0; s < 3600; s += 30) {
      window(h, s, s + 10, "An empty corridor.");
    }
    window(h, 3600, 3610, "A cleaner mops the floor.");
    List<Digest> out = digests(h);
    List<Digest> hourly =
        out.stream()
            .filter(d -> d.getPeriodEndMicros() - d.getPeriodStartMicros() > 300e6)
            .toList();
    List<Digest> fiveMin =
        out.stream()
            .filter(d -> d.getPeriodEndMicros() - d.getPeriodStartMicros() == 300e6)
            .toList();
    assertEquals(1, hourly.size());
    assertEquals(List.of("0-3600 An empty corridor."), events(hourly.get(0)));
    assertEquals(120, hourly.get(0).getWindows());
    assertEquals(12, fiveMin.size());
    assertEquals(List.of("0-300 An empty corridor."), events(fiveMin.get(0)));
    assertEquals(List.of("+300-600 An empty corridor."), events(fiveMin.get(1)));
    assertEquals(10, fiveMin.get(1).getWindows());
    h.close();
  }

  @Test
  void shouldWriteEachDigestOnceAcrossARestoreFromASnapshot() throws Exception {
    OperatorConfig c = config(Duration.ofMinutes(5), Duration.ofHours(1));
    String[] texts = {"Red.", "Green.", "Blue."};
    List<DigestInput> inputs = new ArrayList<>();
    for (int s = 0; s < 1800; s += 10) {
      inputs.add(DigestInput.of(summary(CAM, s, s + 10, texts[s / 200 % 3])));
      if (s % 170 == 0) {
        inputs.add(alertInput(s));
      }
      inputs.add(DigestInput.tick(CAM, at(s + 12)));
    }
    int cut = inputs.size() / 2 + 7;

    var uninterrupted = harness(c, null);
    for (DigestInput in : inputs) {
      uninterrupted.processElement(new StreamRecord<>(in));
    }
    uninterrupted.processWatermark(new Watermark(Long.MAX_VALUE));
    List<Digest> all = digests(uninterrupted);
    uninterrupted.close();

    var first = harness(c, null);
    for (DigestInput in : inputs.subList(0, cut)) {
      first.processElement(new StreamRecord<>(in));
    }
    OperatorSubtaskState snapshot = first.snapshot(1, 1);
    List<Digest> beforeSnapshot = new ArrayList<>(digests(first));
    // Input after the checkpoint that the failure loses: replayed after the restore.
    for (DigestInput in : inputs.subList(cut, cut + 40)) {
      first.processElement(new StreamRecord<>(in));
    }
    first.close();

    var restored = harness(c, snapshot);
    for (DigestInput in : inputs.subList(cut, inputs.size())) {
      restored.processElement(new StreamRecord<>(in));
    }
    restored.processWatermark(new Watermark(Long.MAX_VALUE));
    List<Digest> committed = new ArrayList<>(beforeSnapshot);
    committed.addAll(digests(restored));
    restored.close();

    assertFalse(beforeSnapshot.isEmpty());
    assertTrue(all.size() > beforeSnapshot.size());
    assertEquals(all, committed, "the same digests, each once");
  }

  private static DigestInput alertInput(int s) {
    return new DigestInput(DigestInput.Kind.ALERT, CAM, at(s), at(s + 10), "", null, 0, false);
  }

  @Test
  void shouldKeepItsStateAsPojosNotKryo() {
    TypeInformation<CameraDigests> t = TypeInformation.of(CameraDigests.class);
    assertTrue(t instanceof PojoTypeInfo, t.toString());
    assertFalse(t.toString().contains("GenericType"), t.toString());
    TypeInformation<DigestInput> in = TypeInformation.of(DigestInput.class);
    assertFalse(in instanceof GenericTypeInfo, in.toString());
    assertFalse(in.toString().contains("GenericType"), in.toString());
  }
}
