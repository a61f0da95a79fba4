package io.streamsight.schemas.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How a key's Java type reads in error messages and in the docs. */
final class ConfigTypes {
  private ConfigTypes() {}

  static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported config type " + t);
  }

  /** Type argument {@code i} of a {@code Map<K, V>} or {@code List<E>}. */
  static Type arg(Type t, int i) {
    if (t instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[i];
    }
    throw new IllegalStateException("config type " + t + " needs type arguments");
  }

  static boolean isRecord(Type t) {
    return raw(t).isRecord();
  }

  static boolean isMap(Type t) {
    return Map.class.isAssignableFrom(raw(t));
  }

  static boolean isList(Type t) {
    return List.class.isAssignableFrom(raw(t));
  }

  /** What an error message says a value of this type must be. */
  static String expected(Type t) {
    Class<?> c = raw(t);
    if (c == String.class) {
      return "text";
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return "a whole number";
    }
    if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
      return "a number";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "true or false";
    }
    if (c == Duration.class) {
      return Durations.FORMAT;
    }
    if (c.isEnum()) {
      return "one of " + String.join(", ", enumValues(c));
    }
    if (c.isRecord()) {
      return "a mapping with the keys " + keys(c);
    }
    if (isMap(t)) {
      return "a mapping";
    }
    if (isList(t)) {
      return "a list";
    }
    return c.getSimpleName();
  }

  /** The type column of the docs. */
  static String doc(Type t) {
    Class<?> c = raw(t);
    if (c == String.class) {
      return "text";
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return "integer";
    }
    if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
      return "number";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "boolean";
    }
    if (c == Duration.class) {
      return "duration";
    }
    if (c.isEnum()) {
      return enumValues(c).stream().map(v -> "`" + v + "`").collect(Collectors.joining(" \\| "));
    }
    if (c.isRecord()) {
      return "mapping";
    }
    if (isMap(t)) {
      return "mapping of name to " + doc(arg(t, 1));
    }
    if (isList(t)) {
      return isRecord(arg(t, 0)) ? "list of mappings" : "list of " + doc(arg(t, 0));
    }
    return c.getSimpleName();
  }

  static List<String> keys(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(rc -> rc.getName()).toList();
  }

  static List<String> enumValues(Class<?> e) {
    return Arrays.stream(e.getEnumConstants())
        .map(v -> ((Enum<?>) v).name().toLowerCase(Locale.ROOT))
        .toList();
  }
}
