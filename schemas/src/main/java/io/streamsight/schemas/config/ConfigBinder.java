package io.streamsight.schemas.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds a YAML config file to immutable records, the same way for every file: camelCase keys,
 * nested mappings, one {@link Durations duration format}, no scalar coercion ({@code applicationId:
 * 123} where text is wanted fails, as does {@code fps: "x"}), unknown keys fail naming the known
 * ones, a missing key gets the default its {@link ConfigDoc} declares, and every failure is a
 * {@link ConfigException} naming file, key path, value and what is allowed.
 *
 * <p>Each record component must carry a {@link ConfigDoc}. Values are checked by the records'
 * constructors ({@link Checks}); the binder only adds where in the file the value was.
 */
public final class ConfigBinder {
  private static final ObjectMapper MAPPER = mapper();
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[]+)|\\[(\\d+)]");

  private ConfigBinder() {}

  /** Reads {@code file} into a {@code type}; a missing file or any bad value fails. */
  public static <T extends Record> T bind(Path file, Class<T> type) {
    return load(file, type, t -> t);
  }

  /**
   * Reads {@code file} into a {@code type} and builds the config the code uses from it with {@code
   * build} (merging per-camera overrides, say); a {@link ConfigException} that {@code build} throws
   * gets the file name too.
   */
  public static <T extends Record, R> R load(
      Path file, Class<T> type, Function<? super T, ? extends R> build) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), "", "no such file");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "", "cannot read: " + e);
    }
    return load(file.toString(), text, type, build);
  }

  /** {@link #load(Path, Class, Function)} for YAML text; {@code name} stands for the file. */
  public static <T extends Record, R> R load(
      String name, String yaml, Class<T> type, Function<? super T, ? extends R> build) {
    JsonNode tree = parse(name, yaml);
    try {
      T bound = bindTree(tree, type);
      return build.apply(bound);
    } catch (ConfigException e) {
      throw e.inFile(name).withNote(listNote(tree, e.path()));
    }
  }

  /** A {@code type} with every key at its default (as if bound from an empty file). */
  public static <T extends Record> T defaults(Class<T> type) {
    return bindTree(JsonNodeFactory.instance.objectNode(), type);
  }

  private static JsonNode parse(String name, String yaml) {
    try {
      JsonNode tree = MAPPER.readTree(yaml);
      // An empty file (or one with only comments) means: all defaults.
      return tree == null || tree.isMissingNode() || tree.isNull()
          ? JsonNodeFactory.instance.objectNode()
          : tree;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(name, "", "invalid YAML" + where + ": " + summary(e));
    }
  }

  /** The parser's own words without its source excerpts (we give line and column already). */
  private static String summary(JsonProcessingException e) {
    return String.join(
        "; ",
        e.getOriginalMessage()
            .lines()
            .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
            .toList());
  }

  private static <T> T bindTree(JsonNode tree, Class<T> type) {
    complete(tree, type, "");
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (ValueInstantiationException e) {
      String at = path(e);
      if (e.getCause() instanceof ConfigException c) {
        throw c.under(at);
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConfigException(at, String.valueOf(cause.getMessage()));
    } catch (PropertyBindingException e) {
      // complete() names unknown keys first; this is the safety net behind it.
      throw new ConfigException(
          path(e), "unknown key; the keys here are " + e.getKnownPropertyIds());
    } catch (MismatchedInputException e) {
      String at = path(e);
      Class<?> target = e.getTargetType();
      String allowed = target == null ? e.getOriginalMessage() : ConfigTypes.expected(target);
      throw new ConfigException(at, "got " + show(nodeAt(tree, at)) + "; allowed: " + allowed);
    } catch (JsonMappingException e) {
      throw new ConfigException(path(e), e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ConfigException("", e.getOriginalMessage());
    }
  }

  /**
   * Checks the shape of {@code node} against {@code type} (mappings where records are, no unknown
   * keys, required keys present) and fills in defaults, so Jackson sees a complete tree and the
   * errors for structure can name the keys there are.
   */
  private static void complete(JsonNode node, Type type, String path) {
    if (ConfigTypes.isRecord(type)) {
      if (!(node instanceof ObjectNode object)) {
        throw wrongShape(path, node, type);
      }
      completeRecord(object, ConfigTypes.raw(type), path);
    } else if (ConfigTypes.isMap(type)) {
      if (!(node instanceof ObjectNode object)) {
        throw wrongShape(path, node, type);
      }
      Type value = ConfigTypes.arg(type, 1);
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        complete(orEmpty(object.get(n), value, object, n), value, ConfigException.join(path, n));
      }
    } else if (ConfigTypes.isList(type)) {
      if (!(node instanceof ArrayNode array)) {
        throw wrongShape(path, node, type);
      }
      Type element = ConfigTypes.arg(type, 0);
      for (int i = 0; i < array.size(); i++) {
        JsonNode e = array.get(i);
        if (e.isNull() && ConfigTypes.isRecord(element)) {
          e = array.objectNode();
          array.set(i, e);
        }
        complete(e, element, path + "[" + i + "]");
      }
    } else if (node.isNull()) {
      // Only inside mappings and lists: a record's own empty keys are unset, see completeRecord.
      throw wrongShape(path, node, type);
    }
  }

  private static void completeRecord(ObjectNode node, Class<?> type, String path) {
    List<String> known = ConfigTypes.keys(type);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new ConfigException(
            ConfigException.join(path, key),
            "unknown key; the keys "
                + (path.isEmpty() ? "at the top" : "in " + path)
                + " are "
                + known);
      }
    }
    for (RecordComponent c : type.getRecordComponents()) {
      ConfigDoc doc = c.getAnnotation(ConfigDoc.class);
      if (doc == null) {
        throw new IllegalStateException(type.getName() + "." + c.getName() + " has no @ConfigDoc");
      }
      String key = ConfigException.join(path, c.getName());
      JsonNode value = node.get(c.getName());
      if (value == null || value.isNull()) {
        if (doc.required()) {
          throw new ConfigException(key, "missing; required: " + doc.value());
        } else if (!doc.defaultValue().isEmpty()) {
          value = defaultValue(type, c, doc);
          node.set(c.getName(), value);
        } else if (ConfigTypes.isRecord(c.getGenericType()) && doc.unset().isEmpty()) {
          value = node.putObject(c.getName()); // its own keys' defaults
        } else {
          if (c.getType().isPrimitive()) {
            throw new IllegalStateException(
                type.getName() + "." + c.getName() + " is primitive but has no default");
          }
          node.remove(c.getName()); // unset: bound as null
          continue;
        }
      }
      complete(value, c.getGenericType(), key);
    }
  }

  private static JsonNode orEmpty(JsonNode value, Type type, ObjectNode parent, String name) {
    if (value.isNull() && ConfigTypes.isRecord(type)) {
      return parent.putObject(name);
    }
    return value;
  }

  private static JsonNode defaultValue(Class<?> type, RecordComponent c, ConfigDoc doc) {
    try {
      return MAPPER.readTree(doc.defaultValue());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          type.getName() + "." + c.getName() + ": default is not YAML: " + doc.defaultValue(), e);
    }
  }

  private static ConfigException wrongShape(String path, JsonNode node, Type type) {
    return new ConfigException(
        path.isEmpty() ? "(top level)" : path,
        "got " + show(node) + "; allowed: " + ConfigTypes.expected(type));
  }

  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /** The node at a path this class wrote ({@code cameras[2].fps}), or null. */
  private static JsonNode nodeAt(JsonNode tree, String path) {
    JsonNode cur = tree;
    Matcher m = SEGMENT.matcher(path);
    while (cur != null && m.find()) {
      cur = m.group(1) != null ? cur.get(m.group(1)) : cur.get(Integer.parseInt(m.group(2)));
    }
    return cur;
  }

  /**
   * List positions are hard to count in a long file; when the element at a list index on the path
   * has an {@code id}, the message says which one it is.
   */
  private static String listNote(JsonNode tree, String path) {
    Matcher m = Pattern.compile("\\[\\d+]").matcher(path);
    List<String> notes = new ArrayList<>();
    while (m.find()) {
      String element = path.substring(0, m.end());
      JsonNode id = nodeAt(tree, element + ".id");
      if (id != null && id.isTextual()) {
        notes.add(element + " is id '" + id.asText() + "'");
      }
    }
    return notes.isEmpty() ? "" : "(" + String.join(", ", notes) + ")";
  }

  /** A YAML value as messages show it: the value and, for scalars, what kind it was read as. */
  private static String show(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return "nothing";
    }
    if (n.isTextual()) {
      return "'" + n.asText() + "' (text)";
    }
    if (n.isNumber()) {
      return n.asText() + " (a number)";
    }
    if (n.isBoolean()) {
      return n.asText() + " (a boolean)";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    return n.toString();
  }

  private static ObjectMapper mapper() {
    YAMLMapper m =
        YAMLMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(
                new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();
    // No value is read as another type than it was written: text stays text, numbers numbers.
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      m.coercionConfigFor(t)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return m;
  }
}
