package io.streamsight.vlm.operator.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.validation.InvalidRecordException;
import io.streamsight.vlm.operator.types.KeyframeIn;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.Rejected;
import io.streamsight.vlm.operator.types.RuleChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the operator does with bad rules, queries and keyframes at its input: reject, with why. */
@Timeout(10)
class InputDeserializersTest {
  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> ConsumerRecord<byte[], byte[]> record(
      String topic, String key, T value) {
    byte[] bytes = AvroCodec.of((Class<T>) value.getClass()).encode(value);
    return new ConsumerRecord<>(topic, 0, 7, key.getBytes(StandardCharsets.UTF_8), bytes);
  }

  private static AlertRule.Builder rule() {
    return AlertRule.newBuilder()
        .setId("fence")
        .setCameraGlob("cam-*")
        .setQuestion("Is someone climbing the fence?")
        .setThreshold(0.6)
        .setCooldownMicros(0)
        .setSeverity(Severity.HIGH);
  }

  private static Rejected ruleRejection(AlertRule r) throws Exception {
    List<RuleChange> out = new ArrayList<>();
    new RuleDeserializer().deserialize(record("vlm.rules", "fence", r), new ListCollector<>(out));
    assertEquals(1, out.size());
    assertNull(out.get(0).rule());
    return out.get(0).rejected();
  }

  @Test
  void rejectsInvalidRulesNamingTheFieldForTheDeadLetterQueue() throws Exception {
    Rejected r = ruleRejection(rule().setThreshold(1.0).build());
    assertEquals(InvalidRecordException.class.getName(), r.errorClass());
    assertTrue(r.errorMessage().startsWith("threshold:"), r.errorMessage());
    assertEquals(7, r.offset());
    assertTrue(
        ruleRejection(rule().setQuestion("?".repeat(501)).build())
            .errorMessage()
            .contains("at most 500"));
    assertTrue(
        ruleRejection(rule().setCameraGlob("cam-[0-9]").build())
            .errorMessage()
            .startsWith("cameraGlob:"));
    assertTrue(
        ruleRejection(rule().setCooldownMicros(-1).build())
            .errorMessage()
            .startsWith("cooldownMicros:"));
    assertEquals(
        "schedule: unknown day 'Mox' (Mon, Tue, Wed, Thu, Fri, Sat, Sun)",
        ruleRejection(rule().setSchedule("Mox-Fri 18:00-07:00 Europe/Berlin").build())
            .errorMessage());
    assertTrue(
        ruleRejection(rule().setMaxDurationMicros(0).build())
            .errorMessage()
            .startsWith("maxDurationMicros:"));
  }

  @Test
  void acceptsAValidRule() throws Exception {
    List<RuleChange> out = new ArrayList<>();
    new RuleDeserializer()
        .deserialize(record("vlm.rules", "fence", rule().build()), new ListCollector<>(out));
    assertEquals("fence", out.get(0).rule().id());
    assertEquals(10_000_000L, out.get(0).rule().clearAfterMicros(), "the schema's default");
    assertEquals(0.6 - 0.1, out.get(0).rule().keepOpenAt(), 1e-9);
  }

  @Test
  void rejectsQueriesAboutInvalidCamerasOrWithoutAQuestion() throws Exception {
    Query.Builder q =
        Query.newBuilder()
            .setQueryId("q-1")
            .setCameraId("cam-1")
            .setQuestion("What is happening?")
            .setCreatedMicros(1);
    for (Query bad :
        List.of(
            Query.newBuilder(q.build()).setCameraId("cam 1").build(),
            Query.newBuilder(q.build()).setQuestion(" ").build())) {
      List<QueryIn> out = new ArrayList<>();
      new QueryDeserializer()
          .deserialize(record("vlm.queries", "q-1", bad), new ListCollector<>(out));
      Rejected r = out.get(0).rejected();
      assertEquals(InvalidRecordException.class.getName(), r.errorClass());
    }
  }

  @Test
  void rejectsKeyframesWithAnInvalidCameraId() throws Exception {
    Keyframe k =
        Keyframe.newBuilder()
            .setCameraId("cam\u0000evil")
            .setIngestSessionId("s")
            .setSequence(1)
            .setCaptureTimeMicros(1)
            .setPtsMicros(1)
            .setWidth(1)
            .setHeight(1)
            .setJpeg(ByteBuffer.wrap(new byte[] {1}))
            .setFeatures(
                FrameFeatures.newBuilder()
                    .setDhash(0)
                    .setThumbnail(ByteBuffer.wrap(new byte[64]))
                    .setColorHistogram(Collections.nCopies(24, 0f))
                    .build())
            .setReason(KeyframeReason.FIRST)
            .setNoveltyScore(1f)
            .build();
    List<KeyframeIn> out = new ArrayList<>();
    new KeyframeDeserializer()
        .deserialize(record("cameras.keyframes", "cam", k), new ListCollector<>(out));
    Rejected r = out.get(0).rejected();
    assertEquals(InvalidRecordException.class.getName(), r.errorClass());
    assertTrue(r.errorMessage().contains("cameraId: camera id"), r.errorMessage());
    assertTrue(r.errorMessage().contains("U+0000"), r.errorMessage());
  }

  @Test
  void readsASamplerProgressRecordAsTimeWithoutAnImage() throws Exception {
    Keyframe p = Progress.of("cam-1", "s1", 41, 1_700_000_000_000_000L, 0, 99);
    List<KeyframeIn> out = new ArrayList<>();
    new KeyframeDeserializer()
        .deserialize(record("cameras.keyframes", "cam-1", p), new ListCollector<>(out));
    assertNull(out.get(0).rejected(), "no image is not a bad image here");
    assertTrue(out.get(0).frame().isProgress());
    assertEquals(1_700_000_000_000_000L, out.get(0).frame().captureMicros());
  }
}
