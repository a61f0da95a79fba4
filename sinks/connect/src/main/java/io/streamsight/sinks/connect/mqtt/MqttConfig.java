package io.streamsight.sinks.connect.mqtt;

import io.streamsight.sinks.connect.payload.FilterConfig;
import io.streamsight.sinks.connect.payload.SubscriptionFilter;
import io.streamsight.sinks.connect.webhook.Backoff;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The MQTT connector's configuration, parsed once into an immutable record. The password is a
 * {@code PASSWORD} (Connect logs {@code [hidden]}) and stays out of {@link #toString}.
 */
public record MqttConfig(
    String serverUri,
    String username,
    Password password,
    String topicPrefix,
    int qos,
    String clientId,
    SubscriptionFilter filter,
    String snapshotsBootstrap,
    Backoff backoff) {

  public static final String SERVER_URI = "mqtt.server.uri";
  public static final String USERNAME = "mqtt.username";
  public static final String PASSWORD = "mqtt.password";
  public static final String TOPIC_PREFIX = "mqtt.topic.prefix";
  public static final String QOS = "mqtt.qos";
  public static final String CLIENT_ID = "mqtt.client.id";
  public static final String SNAPSHOTS_BOOTSTRAP = "mqtt.snapshots.bootstrap.servers";
  public static final String BACKOFF_INITIAL_MS = Backoff.initialKey("mqtt");
  public static final String BACKOFF_MAX_MS = Backoff.maxKey("mqtt");

  public static final ConfigDef DEF =
      Backoff.define(
          FilterConfig.define(new ConfigDef())
              .define(
                  SERVER_URI,
                  Type.STRING,
                  ConfigDef.NO_DEFAULT_VALUE,
                  Importance.HIGH,
                  "The MQTT broker: tcp://host:1883 or ssl://host:8883.")
              .define(
                  USERNAME, Type.STRING, "", Importance.MEDIUM, "MQTT user name; empty for none.")
              .define(
                  PASSWORD,
                  Type.PASSWORD,
                  "",
                  Importance.MEDIUM,
                  "MQTT password; give it through a config provider (${file:...}).")
              .define(
                  TOPIC_PREFIX,
                  Type.STRING,
                  "streamsight",
                  (name, value) -> {
                    String v = (String) value;
                    if (v.isEmpty() || v.contains("+") || v.contains("#") || v.endsWith("/")) {
                      throw new ConfigException(
                          name,
                          value,
                          "must be a non-empty topic without wildcards or a trailing /");
                    }
                  },
                  Importance.MEDIUM,
                  "Topic prefix: <prefix>/alerts, <prefix>/<camera>/alert, .../summary, .../snapshot.")
              .define(
                  QOS,
                  Type.INT,
                  1,
                  Range.between(0, 2),
                  Importance.LOW,
                  "MQTT QoS of every message.")
              .define(
                  CLIENT_ID,
                  Type.STRING,
                  "",
                  Importance.LOW,
                  "MQTT client id; default streamsight-<subscription id>.")
              .define(
                  SNAPSHOTS_BOOTSTRAP,
                  Type.STRING,
                  "",
                  Importance.MEDIUM,
                  "Kafka bootstrap servers to read evidence keyframes from for <prefix>/<camera>/snapshot;"
                      + " empty publishes no snapshots."),
          "mqtt",
          30_000L,
          "First retry delay while the MQTT broker is unreachable.");

  public static MqttConfig parse(Map<String, String> props) {
    AbstractConfig c = new AbstractConfig(DEF, props, false);
    String uri = c.getString(SERVER_URI);
    if (!uri.startsWith("tcp://") && !uri.startsWith("ssl://")) {
      throw new ConfigException(SERVER_URI, uri, "must start with tcp:// or ssl://");
    }
    String clientId = c.getString(CLIENT_ID);
    if (clientId.isEmpty()) {
      clientId = "streamsight-" + props.getOrDefault("name", "mqtt");
    }
    return new MqttConfig(
        uri,
        c.getString(USERNAME),
        c.getPassword(PASSWORD),
        c.getString(TOPIC_PREFIX),
        c.getInt(QOS),
        clientId,
        FilterConfig.filter(c),
        c.getString(SNAPSHOTS_BOOTSTRAP),
        Backoff.parse(c, "mqtt"));
  }

  @Override
  public String toString() {
    return "MqttConfig[server="
        + serverUri
        + ", user="
        + (username.isEmpty() ? "(none)" : username)
        + ", prefix="
        + topicPrefix
        + ", qos="
        + qos
        + ", filter="
        + filter
        + ", snapshots="
        + !snapshotsBootstrap.isEmpty()
        + "]";
  }
}
