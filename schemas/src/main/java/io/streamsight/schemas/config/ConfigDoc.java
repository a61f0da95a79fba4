package io.streamsight.schemas.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one config key on the record component that holds it: what it means, its default, and
 * whether it is required. This is the only place a key is described: {@link ConfigBinder} applies
 * the default and {@link ConfigDocs} renders docs/configuration.md from the same annotation, so the
 * two cannot drift apart. The key's name is the component's name; its type is the component's type.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ConfigDoc {
  /** What the key does, one or two sentences for the docs table. */
  String value();

  /**
   * The value a missing key gets, written as it would be in the YAML file ({@code 10s}, {@code 8},
   * {@code auto}, {@code {}}); it is bound and validated exactly like a value from the file. Empty:
   * no default (the key is {@link #required()}, or absent means "unset", see {@link #unset()}).
   * Nested mappings need no default: a missing one is bound from its own keys' defaults.
   */
  String defaultValue() default "";

  /** A missing required key fails naming it. */
  boolean required() default false;

  /**
   * For a key without a default that may be left out: what leaving it out means (docs). On a nested
   * mapping it makes the mapping optional: left out, it is bound as null instead of from its own
   * keys' defaults (e.g. one of two alternative blocks).
   */
  String unset() default "";

  /** The type as the docs show it, when the Java type says too little (e.g. a grid of text). */
  String type() default "";
}
