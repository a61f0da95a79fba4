package io.streamsight.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro records as JSON objects with the Avro field names (enums as their symbol, unions as the
 * plain value or null), for {@code tail --json}, the demo's {@code *.jsonl} files and, read back
 * with {@link #read}, for {@code publish}. Bytes fields become {@code {"length": n, "sha256":
 * "..."}} by default (a JPEG dumped into a terminal helps nobody) or {@code {"base64": "..."}}, the
 * form {@link #read} accepts.
 */
public final class AvroJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How bytes fields are written. */
  public enum BytesStyle {
    /** {@code {"length": n, "sha256": "..."}}: readable, not reversible. */
    DIGEST,
    /** {@code {"base64": "..."}}: the bytes themselves, readable by {@link #read}. */
    BASE64
  }

  private AvroJson() {}

  public static ObjectNode toJson(GenericRecord record) {
    return toJson(record, BytesStyle.DIGEST);
  }

  public static ObjectNode toJson(GenericRecord record, BytesStyle bytes) {
    ObjectNode node = F.objectNode();
    for (Schema.Field f : record.getSchema().getFields()) {
      node.set(f.name(), value(f.schema(), record.get(f.pos()), bytes));
    }
    return node;
  }

  public static String toJsonLine(GenericRecord record) {
    return toJsonLine(record, BytesStyle.DIGEST);
  }

  public static String toJsonLine(GenericRecord record, BytesStyle bytes) {
    try {
      return MAPPER.writeValueAsString(toJson(record, bytes));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot render " + record.getSchema().getName(), e);
    }
  }

  /**
   * Parses one JSON text (one line of {@code tail --json} output) into a record of {@code type}.
   *
   * @throws AvroJsonException naming the field and the problem (not JSON, wrong type, missing
   *     required field, unknown field or enum symbol, bad base64)
   */
  public static <T extends SpecificRecord> T read(Class<T> type, String json) {
    return read(type, AvroJsonReader.parse(json));
  }

  /** Reads {@code json} into a record of the specific class {@code type}. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> T read(Class<T> type, JsonNode json) {
    SpecificData model = SpecificData.getForClass(type);
    return (T) new AvroJsonReader(model).record(model.getSchema(type), json);
  }

  /** Reads {@code json} into a generic record of {@code schema}. */
  public static GenericRecord read(Schema schema, JsonNode json) {
    return new AvroJsonReader(GenericData.get()).record(schema, json);
  }

  private static JsonNode value(Schema schema, Object v, BytesStyle bytes) {
    if (v == null) {
      return F.nullNode();
    }
    switch (schema.getType()) {
      case UNION:
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            return value(branch, v, bytes);
          }
        }
        return F.nullNode();
      case RECORD:
        return toJson((GenericRecord) v, bytes);
      case ARRAY:
        ArrayNode arr = F.arrayNode();
        for (Object item : (Iterable<?>) v) {
          arr.add(value(schema.getElementType(), item, bytes));
        }
        return arr;
      case MAP:
        ObjectNode map = F.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          map.set(e.getKey().toString(), value(schema.getValueType(), e.getValue(), bytes));
        }
        return map;
      case BYTES:
        return bytes == BytesStyle.BASE64 ? base64((ByteBuffer) v) : digest((ByteBuffer) v);
      case FIXED:
        return bytes == BytesStyle.BASE64
            ? base64(ByteBuffer.wrap(((GenericFixed) v).bytes()))
            : digest(ByteBuffer.wrap(((GenericFixed) v).bytes()));
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

  private static JsonNode base64(ByteBuffer buf) {
    ObjectNode n = F.objectNode();
    n.put(AvroJsonReader.BASE64, Base64.getEncoder().encodeToString(toArray(buf)));
    return n;
  }

  private static byte[] toArray(ByteBuffer buf) {
    ByteBuffer b = buf.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static JsonNode digest(ByteBuffer buf) {
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
