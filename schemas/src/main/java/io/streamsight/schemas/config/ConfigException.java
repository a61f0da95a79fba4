package io.streamsight.schemas.config;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A bad configuration value; fatal: fix the file and restart. The message names the file, the key
 * path ({@code cameras[2].maxEdge}, {@code window.size}), the bad value and what is allowed.
 *
 * <p>Records validate their own values in their constructors and throw this with the component's
 * name as the path ({@link #invalid}); whoever built the record from a bigger structure prefixes
 * its position ({@link #within}), and {@link ConfigBinder} adds the file. It is an {@link
 * IllegalArgumentException} because that is what a bad constructor argument is, so code that builds
 * the same records from command-line options reports it like any other bad option.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final String path;
  private final String problem;

  /**
   * @param file the file, or null when the value did not come from one
   * @param path the key path, or "" for the whole file
   */
  public ConfigException(String file, String path, String problem) {
    super(message(file, path, problem));
    this.file = file;
    this.path = path;
    this.problem = problem;
  }

  /** A problem with the key at {@code path}, before the file is known. */
  public ConfigException(String path, String problem) {
    this(null, path, problem);
  }

  /** {@code key} holds {@code value}, which is not {@code allowed}. */
  public static ConfigException invalid(String key, Object value, String allowed) {
    return new ConfigException(key, "got " + show(value) + "; allowed: " + allowed);
  }

  /**
   * Runs {@code build} (which constructs records from the part of a config at {@code prefix}) and
   * prefixes the path of any {@link ConfigException} it throws; any other {@link
   * IllegalArgumentException} becomes one about {@code prefix} itself.
   */
  public static <T> T within(String prefix, Supplier<T> build) {
    try {
      return build.get();
    } catch (ConfigException e) {
      throw e.under(prefix);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(prefix, e.getMessage());
    }
  }

  /** This problem, at {@code prefix} + its own path. */
  public ConfigException under(String prefix) {
    return new ConfigException(file, join(prefix, path), problem);
  }

  /** This problem, in {@code file}. */
  public ConfigException inFile(String file) {
    return new ConfigException(file, path, problem);
  }

  /** This problem with a note after it (e.g. which camera a list index is). */
  ConfigException withNote(String note) {
    return note.isEmpty() ? this : new ConfigException(file, path, problem + " " + note);
  }

  /** The file, or null. */
  public String file() {
    return file;
  }

  /** The key path, e.g. {@code cameras[2].maxEdge}; "" for the whole file. */
  public String path() {
    return path;
  }

  /** What is wrong, without file and path. */
  public String problem() {
    return problem;
  }

  static String join(String prefix, String path) {
    if (prefix.isEmpty()) {
      return path;
    }
    if (path.isEmpty()) {
      return prefix;
    }
    return path.startsWith("[") ? prefix + path : prefix + "." + path;
  }

  /** A value as the messages show it: text quoted, durations in the config format. */
  static String show(Object value) {
    if (value instanceof Duration d) {
      return Durations.format(d);
    }
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(java.util.Locale.ROOT);
    }
    return String.valueOf(value);
  }

  private static String message(String file, String path, String problem) {
    StringBuilder b = new StringBuilder();
    if (file != null) {
      b.append(file).append(": ");
    }
    if (!path.isEmpty()) {
      b.append(path).append(": ");
    }
    return b.append(problem).toString();
  }
}
