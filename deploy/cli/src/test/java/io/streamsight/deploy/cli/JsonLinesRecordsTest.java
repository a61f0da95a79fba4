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

  @Test
  void anAlertWhoseIdsWouldBreakItsSubscribersIsRefusedNamingTheField() {
    io.streamsight.schemas.avro.Alert a =
        io.streamsight.schemas.avro.Alert.newBuilder()
            .setAlertId("a-1")
            .setRuleId("rule-1")
            .setCameraId("door#1")
            .setQuestion("Is someone at the door?")
            .setPYes(0.9)
            .setThreshold(0.6)
            .setSeverity(io.streamsight.schemas.avro.Severity.HIGH)
            .setWindowStartMicros(0)
            .setWindowEndMicros(10)
            .setEvidence(java.util.List.of())
            .setModelId("m")
            .build();
    String good = io.streamsight.schemas.json.AvroJson.toJsonLine(a).replace("door#1", "door-1");
    String badCamera = io.streamsight.schemas.json.AvroJson.toJsonLine(a);
    String badId = good.replace("\"a-1\"", "\"a 1\"");
    var e =
        assertThrows(
            JsonLinesRecords.BadLinesException.class,
            () ->
                JsonLinesRecords.read(
                    Topics.ALERTS, reader(good + "\n" + badCamera + "\n" + badId), "a.jsonl"));
    String m = e.getMessage();
    assertTrue(m.startsWith("a.jsonl: 2 bad line(s), nothing sent"), m);
    assertTrue(m.contains("line 2: cameraId: camera id 'door#1' has '#' at position 4"), m);
    assertTrue(m.contains("line 3: alertId: 'a 1' has character U+0020 at position 1"), m);
  }

  private static BufferedReader reader(String s) {
    return new BufferedReader(new StringReader(s));
  }
}
