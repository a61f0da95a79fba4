package io.streamsight.schemas.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void everyTopicIsDeclaredOnceWithAUniqueName() {
    var names = new HashSet<String>();
    Topics.all().forEach(t -> assertTrue(names.add(t.name()), "duplicate " + t.name()));
    assertEquals(15, names.size());
    assertSame(Topics.ALERTS, Topics.byName("vlm.alerts"));
    assertSame(Topics.DIGESTS, Topics.byName("vlm.digests")); // so `tail vlm.digests` finds it
  }

  @Test
  void compactedTopicsHaveNoRetentionAndOthersDo() {
    assertEquals("compact", Topics.RULES.configs().get("cleanup.policy"));
    assertEquals("compact", Topics.STATUS.configs().get("cleanup.policy"));
    assertEquals("3600000", Topics.FRAMES.configs().get("retention.ms"));
  }

  @Test
  void unknownNamesAreRejectedWithTheChoices() {
    var e = assertThrows(IllegalArgumentException.class, () -> Topics.byName("vlm.alert"));
    assertTrue(e.getMessage().contains("vlm.alerts"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Topics.dlq("nope"));
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void everyTopicDerivesTheKeyItsRecordsAreWrittenWith() {
    var samples = io.streamsight.schemas.SampleRecords.all();
    assertEquals("cam-1", Topics.FRAMES.keyFor((io.streamsight.schemas.avro.Frame) samples.get(0)));
    assertEquals(
        "cam-1", Topics.KEYFRAMES.keyFor((io.streamsight.schemas.avro.Keyframe) samples.get(1)));
    assertEquals(
        "cam-1", Topics.STATUS.keyFor((io.streamsight.schemas.avro.CameraStatus) samples.get(2)));
    assertEquals(
        "fence", Topics.RULES.keyFor((io.streamsight.schemas.avro.AlertRule) samples.get(3)));
    assertEquals(
        "cam-1", Topics.SUMMARIES.keyFor((io.streamsight.schemas.avro.Summary) samples.get(4)));
    assertEquals("cam-1", Topics.ALERTS.keyFor((io.streamsight.schemas.avro.Alert) samples.get(5)));
    assertEquals("q-1", Topics.QUERIES.keyFor((io.streamsight.schemas.avro.Query) samples.get(6)));
    assertEquals("q-1", Topics.ANSWERS.keyFor((io.streamsight.schemas.avro.Answer) samples.get(7)));
    assertEquals(
        "cam-1", Topics.DIGESTS.keyFor((io.streamsight.schemas.avro.Digest) samples.get(9)));
    assertEquals(
        "ev-1", Topics.FEEDBACK.keyFor((io.streamsight.schemas.avro.Feedback) samples.get(10)));
    assertSame(Topics.FEEDBACK, Topics.byName("vlm.feedback"));
    var dead = (io.streamsight.schemas.avro.DeadLetter) samples.get(8);
    assertEquals(null, Topics.dlq("sinks").keyFor(dead), "no original key, no key");
    dead.setOriginalKey(java.nio.ByteBuffer.wrap(new byte[] {'k'}));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new byte[] {'k'}, Topics.dlq("sinks").keyFor(dead));
    Topics.all().forEach(t -> assertTrue(t.keyOf() != null, t.name() + " has no key extractor"));
  }
}
