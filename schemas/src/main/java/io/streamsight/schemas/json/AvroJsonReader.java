package io.streamsight.schemas.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * JSON in the shape {@link AvroJson} writes, back to Avro: the inverse of {@code tail --json}.
 * Strict on purpose (it feeds {@code publish}, which writes to live topics): unknown fields,
 * duplicate keys, lossy numbers and digest-only bytes are errors naming the field, never guesses.
 */
final class AvroJsonReader {
  static final String BASE64 = "base64";

  // Floats stay decimal text until the field's type is known, so a float field gets the float
  // nearest the printed digits (no double rounding on the way).
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final GenericData model;

  AvroJsonReader(GenericData model) {
    this.model = model;
  }

  static JsonNode parse(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw new AvroJsonException("", "no JSON value");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new AvroJsonException("", "not JSON: " + e.getOriginalMessage(), e);
    }
  }

  GenericRecord record(Schema schema, JsonNode json) {
    if (!json.isObject()) {
      throw new AvroJsonException(
          "", "expected a JSON object for a " + schema.getName() + ", got " + describe(json));
    }
    return (GenericRecord) value(schema, json, "");
  }

  private Object value(Schema s, JsonNode n, String path) {
    switch (s.getType()) {
      case RECORD:
        return recordValue(s, n, path);
      case UNION:
        return union(s, n, path);
      case NULL:
        if (!n.isNull()) {
          throw wrong(path, "null", n);
        }
        return null;
      case BOOLEAN:
        if (!n.isBoolean()) {
          throw wrong(path, "a boolean", n);
        }
        return n.booleanValue();
      case INT:
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
          throw wrong(path, "an int", n);
        }
        return n.intValue();
      case LONG:
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
          throw wrong(path, "a long", n);
        }
        return n.longValue();
      case FLOAT:
        return (float) floating(n, path, true);
      case DOUBLE:
        return floating(n, path, false);
      case STRING:
        if (!n.isTextual()) {
          throw wrong(path, "a string", n);
        }
        return n.textValue();
      case ENUM:
        if (!n.isTextual()) {
          throw wrong(path, "an enum symbol of " + s.getName(), n);
        }
        if (!s.hasEnumSymbol(n.textValue())) {
          throw new AvroJsonException(
              path,
              "unknown enum symbol '"
                  + n.textValue()
                  + "' for "
                  + s.getName()
                  + ", expected one of "
                  + s.getEnumSymbols());
        }
        return model.createEnum(n.textValue(), s);
      case BYTES:
        return ByteBuffer.wrap(bytes(n, path));
      case FIXED:
        byte[] b = bytes(n, path);
        if (b.length != s.getFixedSize()) {
          throw new AvroJsonException(
              path, "expected " + s.getFixedSize() + " bytes, got " + b.length);
        }
        return model.createFixed(null, b, s);
      case ARRAY:
        if (!n.isArray()) {
          throw wrong(path, "a JSON array", n);
        }
        List<Object> items = new GenericData.Array<>(n.size(), s);
        for (int i = 0; i < n.size(); i++) {
          items.add(value(s.getElementType(), n.get(i), path + "[" + i + "]"));
        }
        return items;
      case MAP:
        if (!n.isObject()) {
          throw wrong(path, "a JSON object (map)", n);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), value(s.getValueType(), e.getValue(), path + "." + e.getKey()));
        }
        return map;
      default:
        throw new AvroJsonException(path, "unsupported Avro type " + s.getType());
    }
  }

  private Object recordValue(Schema s, JsonNode n, String path) {
    if (!n.isObject()) {
      throw wrong(path, "a JSON object (" + s.getName() + ")", n);
    }
    for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (s.getField(name) == null) {
        throw new AvroJsonException(
            join(path, name), "unknown field; " + s.getName() + " has " + fieldNames(s));
      }
    }
    Object record = model.newRecord(null, s);
    for (Schema.Field f : s.getFields()) {
      String fieldPath = join(path, f.name());
      JsonNode v = n.get(f.name());
      Object value;
      if (v == null) {
        if (!f.hasDefaultValue()) {
          throw new AvroJsonException(fieldPath, "missing required field (it has no default)");
        }
        // Avro caches defaults and shares them: copy, so no two records share a mutable list.
        value = model.deepCopy(f.schema(), model.getDefaultValue(f));
      } else {
        value = value(f.schema(), v, fieldPath);
      }
      model.setField(record, f.name(), f.pos(), value);
    }
    return record;
  }

  /** Unions are written as the plain value or null; the first branch that reads it wins. */
  private Object union(Schema s, JsonNode n, String path) {
    if (n.isNull()) {
      if (s.getIndexNamed(Schema.Type.NULL.getName()) == null) {
        throw wrong(path, "one of " + s.getTypes(), n);
      }
      return null;
    }
    AvroJsonException first = null;
    for (Schema branch : s.getTypes()) {
      if (branch.getType() == Schema.Type.NULL) {
        continue;
      }
      try {
        return value(branch, n, path);
      } catch (AvroJsonException e) {
        first = first == null ? e : first;
      }
    }
    throw first;
  }

  private static double floating(JsonNode n, String path, boolean isFloat) {
    String type = isFloat ? "a float" : "a double";
    String text;
    if (n.isNumber()) {
      text = n.asText();
    } else if (n.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(n.textValue())) {
      return Double.parseDouble(n.textValue()); // Jackson writes non-finite numbers as strings
    } else {
      throw wrong(path, type, n);
    }
    double d = isFloat ? Float.parseFloat(text) : Double.parseDouble(text);
    if (Double.isInfinite(d)) {
      throw new AvroJsonException(path, text + " is out of range for " + type);
    }
    return d;
  }

  private static byte[] bytes(JsonNode n, String path) {
    if (n.isObject() && n.has("sha256") && !n.has(BASE64)) {
      throw new AvroJsonException(
          path,
          "bytes given only as length+sha256 cannot be rebuilt; write them as {\"base64\":"
              + " \"...\"} (tail --json --bytes base64 prints that)");
    }
    if (!n.isObject() || n.size() != 1 || !n.has(BASE64) || !n.get(BASE64).isTextual()) {
      throw wrong(path, "{\"base64\": \"...\"}", n);
    }
    try {
      return Base64.getDecoder().decode(n.get(BASE64).textValue());
    } catch (IllegalArgumentException e) {
      throw new AvroJsonException(path, "bad base64: " + e.getMessage(), e);
    }
  }

  private static AvroJsonException wrong(String path, String expected, JsonNode got) {
    return new AvroJsonException(
        path, "wrong type: expected " + expected + ", got " + describe(got));
  }

  /** The JSON type and a short excerpt of the value, for messages. */
  private static String describe(JsonNode n) {
    String text = n.toString();
    if (text.length() > 40) {
      text = text.substring(0, 37) + "...";
    }
    String type = n.isNull() ? "null" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    return n.isNull() ? "null" : type + " " + text;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static List<String> fieldNames(Schema s) {
    List<String> out = new ArrayList<>();
    s.getFields().forEach(f -> out.add(f.name()));
    return out;
  }
}
