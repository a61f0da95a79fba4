package io.streamsight.schemas.codec;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The evolution rule for every record: a new schema must read data written with each kept older
 * version (backward) and older readers must read data written with the new one (forward).
 */
public final class SchemaEvolution {
  private SchemaEvolution() {}

  /** Problems found between {@code current} and one older version; empty = compatible. */
  public static List<String> problems(Schema current, Schema older) {
    List<String> out = new ArrayList<>();
    check("backward (new reads old)", current, older, out);
    check("forward (old reads new)", older, current, out);
    return out;
  }

  private static void check(String what, Schema reader, Schema writer, List<String> out) {
    SchemaPairCompatibility c = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      c.getResult()
          .getIncompatibilities()
          .forEach(
              i ->
                  out.add(
                      what
                          + ": "
                          + i.getType()
                          + " at "
                          + i.getLocation()
                          + " ("
                          + i.getMessage()
                          + ")"));
    }
  }
}
