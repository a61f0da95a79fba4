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
    assertEquals(13, names.size());
    assertSame(Topics.ALERTS, Topics.byName("vlm.alerts"));
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
}
