package io.streamsight.vlm.remote;

import io.streamsight.schemas.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Reads a model server's API key where {@link RemoteModelConfig} says: the first line of {@code
 * apiKeyFile} (trimmed), else the environment variable {@code apiKeyEnv}, else none. Errors name
 * the file or the variable, never what is in them.
 */
final class ApiKeys {
  private ApiKeys() {}

  /** The key, or {@code null} when the config names no source. */
  static String read(RemoteModelConfig config, UnaryOperator<String> env) {
    if (config.apiKeyFile() != null && !config.apiKeyFile().isBlank()) {
      Path file = Path.of(config.apiKeyFile());
      String first;
      try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
        first = lines.findFirst().orElse("").strip();
      } catch (IOException | java.io.UncheckedIOException e) {
        // The exception's message is the path and the OS reason; never the content.
        throw new ConfigException(
            "apiKeyFile", "cannot read the API key file " + file + " (" + reason(e) + ")");
      }
      if (first.isEmpty()) {
        throw new ConfigException(
            "apiKeyFile", "the API key file " + file + " has an empty first line");
      }
      return first;
    }
    if (config.apiKeyEnv() != null && !config.apiKeyEnv().isBlank()) {
      String value = env.apply(config.apiKeyEnv());
      if (value == null || value.isBlank()) {
        throw new ConfigException(
            "apiKeyEnv", "the environment variable " + config.apiKeyEnv() + " is not set or empty");
      }
      return value.strip();
    }
    return null;
  }

  private static String reason(Exception e) {
    Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
    // A MalformedInputException's message is only "Input length = 1": say what it means.
    if (t instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text";
    }
    return t.getClass().getSimpleName();
  }
}
