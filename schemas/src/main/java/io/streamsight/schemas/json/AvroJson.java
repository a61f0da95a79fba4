package io.streamsight.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Renders Avro records as JSON objects with the Avro field names, for {@code tail --json} and the
 * demo's {@code *.jsonl} files. Bytes fields become {@code {"length": n, "sha256": "..."}}: a JPEG
 * dumped into a terminal helps nobody.
 */
public final class AvroJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AvroJson() {}

  public static ObjectNode toJson(GenericRecord record) {
    ObjectNode node = F.objectNode();
    for (Schema.Field f : record.getSchema().getFields()) {
      node.set(f.name(), value(f.schema(), record.get(f.pos())));
    }
    return node;
  }

  public static String toJsonLine(GenericRecord record) {
    try {
      return MAPPER.writeValueAsString(toJson(record));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot render " + record.getSchema().getName(), e);
    }
  }

  private static JsonNode value(Schema schema, Object v) {
    if (v == null) {
      return F.nullNode();
    }
    switch (schema.getType()) {
      case UNION:
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            return value(branch, v);
          }
        }
        return F.nullNode();
      case RECORD:
        return toJson((GenericRecord) v);
      case ARRAY:
        ArrayNode arr = F.arrayNode();
        for (Object item : (Iterable<?>) v) {
          arr.add(value(schema.getElementType(), item));
        }
        return arr;
      case MAP:
        ObjectNode map = F.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          map.set(e.getKey().toString(), value(schema.getValueType(), e.getValue()));
        }
        return map;
      case BYTES:
        return bytes((ByteBuffer) v);
      case INT:
        return F.numberNode((Integer) v);
      case LONG:
        return F.numberNode((Long) v);
      case FLOAT:
        return F.numberNode((Float) v);
      case DOUBLE:
        return F.numberNode((Double) v);
      case BOOLEAN:
        return F.booleanNode((Boolean) v);
      default:
        return F.textNode(v.toString());
    }
  }

  private static JsonNode bytes(ByteBuffer buf) {
    ByteBuffer b = buf.duplicate();
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      int length = b.remaining();
      sha.update(b);
      ObjectNode n = F.objectNode();
      n.put("length", length);
      n.put("sha256", HexFormat.of().formatHex(sha.digest()));
      return n;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }
}
