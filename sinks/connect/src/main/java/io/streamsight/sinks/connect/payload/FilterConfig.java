package io.streamsight.sinks.connect.payload;

import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.validation.CameraGlob;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** The connector config keys every subscription shares: what it wants to receive. */
public final class FilterConfig {
  public static final String CAMERA = "subscription.camera";
  public static final String MIN_SEVERITY = "subscription.min.severity";
  public static final String GROUP = "Subscription";

  private FilterConfig() {}

  /** Adds the shared keys to {@code def}. */
  public static ConfigDef define(ConfigDef def) {
    return def.define(
            CAMERA,
            ConfigDef.Type.STRING,
            "*",
            (name, value) -> {
              String p = CameraGlob.problem((String) value);
              if (p != null) {
                throw new ConfigException(name, value, p);
              }
            },
            ConfigDef.Importance.MEDIUM,
            "Camera glob: only alerts and summaries of matching cameras are delivered (* and ?"
                + " wildcards).",
            GROUP,
            1,
            ConfigDef.Width.MEDIUM,
            "Camera")
        .define(
            MIN_SEVERITY,
            ConfigDef.Type.STRING,
            Severity.LOW.name(),
            ConfigDef.CaseInsensitiveValidString.in(
                Arrays.stream(Severity.values()).map(Enum::name).toArray(String[]::new)),
            ConfigDef.Importance.MEDIUM,
            "Lowest alert severity delivered (LOW, MEDIUM, HIGH, CRITICAL); summaries always pass.",
            GROUP,
            2,
            ConfigDef.Width.SHORT,
            "Minimum severity");
  }

  /** The filter a parsed config describes. */
  public static SubscriptionFilter filter(AbstractConfig c) {
    return new SubscriptionFilter(
        c.getString(CAMERA), Severity.valueOf(c.getString(MIN_SEVERITY).toUpperCase(Locale.ROOT)));
  }
}
