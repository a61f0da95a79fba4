package io.streamsight.sinks.connect.mqtt;

import io.streamsight.sinks.connect.Versions;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * One MQTT subscription. A single task: MQTT client ids must be unique per broker connection, and
 * the retained per-camera topics need one writer to stay "the latest".
 */
public class MqttSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    MqttConfig.parse(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return MqttSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return MqttConfig.DEF;
  }

  @Override
  public String version() {
    return Versions.current();
  }
}
