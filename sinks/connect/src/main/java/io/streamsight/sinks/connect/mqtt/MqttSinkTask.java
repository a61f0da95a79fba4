package io.streamsight.sinks.connect.mqtt;

import io.streamsight.sinks.connect.DeadLetters;
import io.streamsight.sinks.connect.Versions;
import io.streamsight.sinks.connect.payload.Admission;
import io.streamsight.sinks.connect.payload.Notification;
import io.streamsight.sinks.connect.payload.Notifications;
import io.streamsight.sinks.connect.status.DeliveryStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes alerts and summaries to an MQTT broker in the Frigate / Home Assistant style: {@code
 * <prefix>/alerts} (every alert event record, the webhook body), {@code <prefix>/<camera>/alert}
 * (retained: the camera's last event state as a Frigate-style review, {@link
 * Notifications#review}), {@code <prefix>/<camera>/summary} (retained: the latest one) and {@code
 * <prefix>/<camera>/snapshot} (retained JPEG of the alert's evidence keyframe). Publishing waits
 * for the broker's acknowledgement (QoS 1 by default); a broker that is down makes {@link #put}
 * throw {@link RetriableException}, and the batch comes back with the records already published
 * skipped.
 */
public class MqttSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSinkTask.class);

  /**
   * How long one batch may spend reading evidence keyframes, all alerts together; alerts whose
   * snapshot is not read by then go without one (noted as the last error).
   */
  static final Duration SNAPSHOT_BUDGET = Duration.ofSeconds(5);

  private String name;
  private MqttConfig config;
  private Admission admission;
  private DeliveryStats stats;
  private DeadLetters deadLetters;
  private MqttClient client;
  private KeyframeFetcher keyframes;
  private final Map<TopicPartition, Long> deliveredUpTo = new HashMap<>();
  private int failedAttempts;
  private long retryNotBeforeNanos;

  @Override
  public String version() {
    return Versions.current();
  }

  @Override
  public void start(Map<String, String> props) {
    name = props.getOrDefault("name", "mqtt");
    config = MqttConfig.parse(props);
    stats = DeliveryStats.register(name);
    admission = new Admission(new Notifications(""), config.filter(), stats);
    deadLetters = new DeadLetters(context);
    if (!config.snapshotsBootstrap().isEmpty()) {
      keyframes = new KeyframeFetcher(config.snapshotsBootstrap(), SNAPSHOT_BUDGET);
    }
    LOG.info("Subscription {} publishing to {}", name, config);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    long wait = (retryNotBeforeNanos - System.nanoTime()) / 1_000_000;
    if (failedAttempts > 0 && wait > 0) {
      context.timeout(wait);
      throw new RetriableException("waiting " + wait + " ms to reconnect to " + config.serverUri());
    }
    List<DeadLetters.Entry> dead = new ArrayList<>();
    int index = 0;
    if (keyframes != null) {
      keyframes.startBatch();
    }
    try {
      connect();
      for (SinkRecord r : records) {
        index++;
        TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
        if (r.kafkaOffset() <= deliveredUpTo.getOrDefault(tp, -1L)) {
          continue;
        }
        Optional<Notification> n = admission.admit(r, dead);
        if (n.isPresent()) {
          try {
            publish(n.get());
            stats.delivered();
          } catch (IllegalArgumentException e) {
            // Paho refuses a topic (wildcards, NUL, > 64 KiB); Admission's checks should have
            // caught it, so this is the backstop: the record goes to the dead letters, the task on.
            String why =
                "Cannot publish "
                    + n.get().id()
                    + " ("
                    + DeadLetters.where(r)
                    + "): "
                    + e.getMessage();
            stats.deadLettered(why);
            dead.add(
                new DeadLetters.Entry(
                    r, new org.apache.kafka.connect.errors.DataException(why, e)));
          }
        }
        deliveredUpTo.put(tp, r.kafkaOffset());
      }
    } catch (MqttException e) {
      failedAttempts++;
      long delay = config.backoff().delayMillis(failedAttempts);
      String why =
          "MQTT broker "
              + config.serverUri()
              + ": "
              + e.getMessage()
              + " (reason "
              + e.getReasonCode()
              + ")";
      stats.retrying(records.size() - index + 1, why);
      disconnectQuietly();
      deadLetters.report(dead);
      retryNotBeforeNanos = System.nanoTime() + delay * 1_000_000;
      context.timeout(delay);
      throw new RetriableException("retrying in " + delay + " ms: " + why, e);
    }
    deadLetters.report(dead);
    failedAttempts = 0;
    stats.retrying(0, null);
    deliveredUpTo.clear();
  }

  private void publish(Notification n) throws MqttException {
    String camera = config.topicPrefix() + "/" + n.cameraId();
    if (n.isAlert()) {
      send(config.topicPrefix() + "/alerts", n.body(), false);
      // Frigate-review style (type new / update / end), retained: the camera's last event state.
      send(camera + "/alert", Notifications.review(n.alert()), true);
      // The alert is out before its snapshot is looked for: a missing keyframe never delays it.
      if (keyframes != null && !n.alert().getEvidence().isEmpty()) {
        KeyframeFetcher.Snapshot snap =
            keyframes.fetch(n.alert().getEvidence().get(0), n.alert().getCameraId());
        if (snap.jpeg() != null) {
          send(camera + "/snapshot", snap.jpeg(), true);
        } else {
          stats.error("no snapshot for alert " + n.id() + ": " + snap.missing());
        }
      }
    } else {
      send(camera + "/summary", n.body(), true);
    }
  }

  private void send(String topic, byte[] payload, boolean retained) throws MqttException {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(config.qos());
    m.setRetained(retained);
    client.publish(topic, m);
  }

  private void connect() throws MqttException {
    if (client != null && client.isConnected()) {
      return;
    }
    disconnectQuietly();
    MqttClient c = new MqttClient(config.serverUri(), config.clientId(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setAutomaticReconnect(false); // reconnecting is put's job, with backoff
    o.setConnectionTimeout(10);
    o.setMaxInflight(1000);
    if (!config.username().isEmpty()) {
      o.setUserName(config.username());
      o.setPassword(config.password().value().toCharArray());
    }
    c.setTimeToWait(10_000);
    c.connect(o);
    client = c;
  }

  private void disconnectQuietly() {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnect(1_000);
      }
    } catch (MqttException e) {
      LOG.debug("Disconnect from {} failed", config.serverUri(), e);
    }
    try {
      client.close();
    } catch (MqttException e) {
      LOG.debug("Close of MQTT client failed", e);
    }
    client = null;
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    partitions.forEach(deliveredUpTo::remove);
  }

  @Override
  public void stop() {
    disconnectQuietly();
    if (keyframes != null) {
      keyframes.close();
    }
    if (stats != null) {
      stats.unregister();
    }
  }
}
