package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.topics.Topics;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JsonLinesRecordsTest {
  private static final String RULE =
      "{\"id\":\"fence\",\"cameraGlob\":\"cam-*\",\"question\":\"Is someone climbing?\"}";

  @Test
  void keysEachRecordAsTheTopicDoesAndSkipsBlankLines() throws Exception {
    var records = JsonLinesRecords.read(Topics.RULES, reader(RULE + "\n\n" + RULE + "\n"), "f");
    assertEquals(2, records.size());
    assertEquals("vlm.rules", records.get(0).topic());
    assertEquals("fence", new String(records.get(0).key(), StandardCharsets.UTF_8));
  }

  @Test
  void everyBadLineIsCountedAndTheFirstOnesNamedWithTheirNumbers() {
    String text = RULE + "\n{\"id\":1}\nnull (tombstone)\n" + RULE.replace("fence", "x") + "\n";
    var e =
        assertThrows(
            JsonLinesRecords.BadLinesException.class,
            () -> JsonLinesRecords.read(Topics.RULES, reader(text), "rules.jsonl"));
    String m = e.getMessage();
    assertTrue(m.startsWith("rules.jsonl: 2 bad line(s), nothing sent"), m);
    assertTrue(m.contains("line 2: field id: wrong type: expected a string"), m);
    assertTrue(m.contains("line 3: a tombstone"), m);
  }

  private static BufferedReader reader(String s) {
    return new BufferedReader(new StringReader(s));
  }
}
