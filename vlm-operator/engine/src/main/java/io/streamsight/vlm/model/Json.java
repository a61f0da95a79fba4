package io.streamsight.vlm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small helpers to read config files with errors that name the file and key. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(file, "missing model file");
    }
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(file, "unreadable JSON: " + e.getMessage(), e);
    }
  }

  static int requireInt(Path file, JsonNode n, String... keys) {
    JsonNode v = n;
    for (String k : keys) {
      v = v.path(k);
    }
    if (!v.isNumber()) {
      throw new ModelLoadException(
          file, "missing or non-numeric key '" + String.join(".", keys) + "'");
    }
    return v.asInt();
  }

  static float[] floats(Path file, JsonNode n, String key, int size) {
    JsonNode a = n.path(key);
    if (!a.isArray() || a.size() != size) {
      throw new ModelLoadException(file, "key '" + key + "' must be an array of " + size);
    }
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }

  /** An int or a list of ints (eos_token_id may be either). */
  static List<Long> longs(JsonNode n) {
    List<Long> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(x -> out.add(x.asLong()));
    } else if (n.isNumber()) {
      out.add(n.asLong());
    }
    return out;
  }
}
