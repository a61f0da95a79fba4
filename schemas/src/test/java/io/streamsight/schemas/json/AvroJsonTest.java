package io.streamsight.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.schemas.SampleRecords;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.json.AvroJson.BytesStyle;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AvroJsonTest {
  @Test
  void bytesFieldsAreShownAsLengthAndSha256() {
    JsonNode n = AvroJson.toJson(SampleRecords.frame(new byte[0]));
    assertEquals("cam-1", n.get("cameraId").asText());
    assertEquals(0, n.get("jpeg").get("length").asInt());
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        n.get("jpeg").get("sha256").asText());
    assertEquals(64, n.get("features").get("thumbnail").get("length").asInt());
    assertEquals(24, n.get("features").get("colorHistogram").size());
  }

  @Test
  void bytesCanBeWrittenAsBase64() {
    JsonNode n = AvroJson.toJson(SampleRecords.frame(new byte[] {1, 2, 3}), BytesStyle.BASE64);
    assertEquals("AQID", n.get("jpeg").get("base64").asText());
  }

  @Test
  void everyRecordTypeRoundTripsThroughAJsonLine() {
    for (SpecificRecord r : SampleRecords.all()) {
      String line = AvroJson.toJsonLine((GenericRecord) r, BytesStyle.BASE64);
      assertEquals(r, AvroJson.read(r.getClass(), line), r.getSchema().getName() + ": " + line);
    }
  }

  @Test
  void genericReadGivesTheSameValues() {
    Keyframe k = (Keyframe) SampleRecords.all().get(1);
    GenericRecord g = AvroJson.read(k.getSchema(), AvroJson.toJson(k, BytesStyle.BASE64));
    assertEquals(
        AvroJson.toJsonLine(k, BytesStyle.BASE64), AvroJson.toJsonLine(g, BytesStyle.BASE64));
  }

  @Test
  void missingFieldsWithDefaultsTakeTheDefault() {
    AlertRule r =
        AvroJson.read(
            AlertRule.class, "{\"id\":\"a\",\"cameraGlob\":\"cam-*\",\"question\":\"Fire?\"}");
    assertEquals(0.5, r.getThreshold());
    assertEquals(Severity.MEDIUM, r.getSeverity());
  }

  @Test
  void wrongTypeIsNamed() {
    ObjectNode n = frameJson();
    n.put("sequence", "seven");
    AvroJsonException e = readFails(n);
    assertEquals("sequence", e.field());
    assertTrue(e.getMessage().contains("wrong type: expected a long, got string"), e.getMessage());
  }

  @Test
  void fractionalNumberForAnIntIsAWrongType() {
    ObjectNode n = frameJson();
    n.put("width", 640.5);
    assertEquals("width", readFails(n).field());
  }

  @Test
  void missingRequiredFieldIsNamed() {
    ObjectNode n = frameJson();
    n.remove("cameraId");
    AvroJsonException e = readFails(n);
    assertEquals("cameraId", e.field());
    assertTrue(e.getMessage().contains("missing required field"), e.getMessage());
  }

  @Test
  void unknownEnumSymbolIsNamedWithTheChoices() {
    ObjectNode n = AvroJson.toJson((AlertRule) SampleRecords.all().get(3), BytesStyle.BASE64);
    n.put("severity", "URGENT");
    AvroJsonException e =
        assertThrows(AvroJsonException.class, () -> AvroJson.read(AlertRule.class, n));
    assertEquals("severity", e.field());
    assertTrue(e.getMessage().contains("unknown enum symbol 'URGENT'"), e.getMessage());
    assertTrue(e.getMessage().contains("CRITICAL"), e.getMessage());
  }

  @Test
  void badBase64IsNamedWithItsPath() {
    ObjectNode n = frameJson();
    ((ObjectNode) n.get("features")).putObject("thumbnail").put("base64", "not*base64");
    AvroJsonException e = readFails(n);
    assertEquals("features.thumbnail", e.field());
    assertTrue(e.getMessage().contains("bad base64"), e.getMessage());
  }

  @Test
  void digestOnlyBytesSayHowToGetBase64() {
    ObjectNode n = (ObjectNode) AvroJson.toJson(SampleRecords.frame(new byte[] {1}));
    AvroJsonException e = readFails(n);
    assertEquals("jpeg", e.field());
    assertTrue(e.getMessage().contains("--bytes base64"), e.getMessage());
  }

  @Test
  void unknownFieldsAreRefused() {
    ObjectNode n = frameJson();
    n.put("cameraID", "typo");
    AvroJsonException e = readFails(n);
    assertEquals("cameraID", e.field());
    assertTrue(e.getMessage().contains("unknown field"), e.getMessage());
  }

  @Test
  void notJsonIsRefused() {
    AvroJsonException e =
        assertThrows(AvroJsonException.class, () -> AvroJson.read(Frame.class, "{\"cameraId\":"));
    assertEquals("", e.field());
    assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    assertThrows(AvroJsonException.class, () -> AvroJson.read(Frame.class, "[1, 2]"));
  }

  private static ObjectNode frameJson() {
    return AvroJson.toJson(SampleRecords.frame(new byte[] {1, 2, 3}), BytesStyle.BASE64);
  }

  private static AvroJsonException readFails(JsonNode n) {
    return assertThrows(AvroJsonException.class, () -> AvroJson.read(Frame.class, n));
  }
}
