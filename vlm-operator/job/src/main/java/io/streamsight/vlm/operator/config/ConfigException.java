package io.streamsight.vlm.operator.config;

/** A bad operator configuration; the message names the key. Fatal: fix the file and restart. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ConfigException(String key, String problem) {
    super("operator config: " + key + ": " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
