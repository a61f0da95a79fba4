package io.streamsight.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsight.schemas.SampleRecords;
import org.junit.jupiter.api.Test;

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
}
