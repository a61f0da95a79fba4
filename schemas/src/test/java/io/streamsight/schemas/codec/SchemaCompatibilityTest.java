package io.streamsight.schemas.codec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.SampleRecords;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Every current schema against every kept earlier version, both directions. */
class SchemaCompatibilityTest {

  @Test
  void everyTopicRecordKeepsHistoryAndStaysCompatibleWithIt() {
    for (SpecificRecord r : SampleRecords.all()) {
      Schema current = r.getSchema();
      List<Schema> history = SchemaHistory.versions(current.getName());
      assertFalse(history.isEmpty(), "no schema history kept for " + current.getName());
      for (int v = 0; v < history.size(); v++) {
        List<String> problems = SchemaEvolution.problems(current, history.get(v));
        assertTrue(problems.isEmpty(), current.getName() + " vs v" + (v + 1) + ": " + problems);
      }
    }
  }

  @Test
  void addingARequiredFieldWithoutDefaultIsRejected() {
    Schema v1 = SchemaHistory.versions("Frame").get(0);
    String json = v1.toString();
    String broken =
        json.replaceFirst(
            "\"fields\":\\[", "\"fields\":[{\"name\":\"lensId\",\"type\":\"string\"},");
    Schema next = new Schema.Parser().parse(broken);
    List<String> problems = SchemaEvolution.problems(next, v1);
    assertFalse(problems.isEmpty(), "a required field without default must break backward");
    assertTrue(problems.toString().contains("lensId"), problems.toString());
  }

  @Test
  void addingAnOptionalFieldWithDefaultIsAccepted() {
    Schema v1 = SchemaHistory.versions("Frame").get(0);
    String next =
        v1.toString()
            .replaceFirst(
                "\"fields\":\\[",
                "\"fields\":[{\"name\":\"lensId\",\"type\":[\"null\",\"string\"],\"default\":null},");
    assertTrue(SchemaEvolution.problems(new Schema.Parser().parse(next), v1).isEmpty());
  }

  @Test
  void aCameraStatusFromAV1WriterReadsWithNoSendErrors() throws Exception {
    // A status written before sendErrors existed (single-object encoding with the v1 schema).
    Schema v1 = SchemaHistory.versions("CameraStatus").get(0);
    org.apache.avro.generic.GenericRecord old = new org.apache.avro.generic.GenericData.Record(v1);
    old.put("cameraId", "cam-1");
    old.put(
        "state",
        new org.apache.avro.generic.GenericData.EnumSymbol(
            v1.getField("state").schema(), "ONLINE"));
    old.put("timeMicros", 1L);
    for (String f :
        List.of(
            "framesDecoded", "framesPublished", "framesDropped", "corruptPackets", "reconnects")) {
      old.put(f, 7L);
    }
    byte[] bytes =
        new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
                org.apache.avro.generic.GenericData.get(), v1)
            .encode(old)
            .array();
    io.streamsight.schemas.avro.CameraStatus read =
        AvroCodec.of(io.streamsight.schemas.avro.CameraStatus.class)
            .decode("cameras.status", bytes);
    org.junit.jupiter.api.Assertions.assertEquals(7L, read.getFramesPublished());
    org.junit.jupiter.api.Assertions.assertEquals(0L, read.getSendErrors());
  }
}
