package io.streamsight.schemas.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Earlier versions of each record schema, shipped on the classpath under {@code
 * io/streamsight/schemas/history/<Record>/v<N>.avsc}. Decoders register them so that records
 * written by older producers still resolve by fingerprint; the compatibility test checks every
 * current schema against them.
 */
public final class SchemaHistory {
  private static final String ROOT = "/io/streamsight/schemas/history/";

  private SchemaHistory() {}

  /** All kept versions of the named record, oldest first (v1, v2, ... until the first gap). */
  public static List<Schema> versions(String recordName) {
    List<Schema> out = new ArrayList<>();
    for (int v = 1; ; v++) {
      try (InputStream in =
          SchemaHistory.class.getResourceAsStream(ROOT + recordName + "/v" + v + ".avsc")) {
        if (in == null) {
          return out;
        }
        out.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read schema history of " + recordName, e);
      }
    }
  }
}
