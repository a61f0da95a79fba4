package io.streamsight.sinks.connect.webhook;

import io.streamsight.sinks.connect.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * One webhook subscription: delivers {@code vlm.alerts} (and optionally {@code vlm.summaries}) to
 * one HTTP receiver, signed per Standard Webhooks, retried, dead-lettered when it can never be
 * delivered. Each subscription is its own connector instance, so it has its own consumer group,
 * offsets, retries and dead-letter queue: a slow receiver delays nobody else.
 */
public class WebhookSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    WebhookConfig.parse(props); // fails the connector at once, naming the bad key
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return WebhookSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      out.add(props);
    }
    return out;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return WebhookConfig.DEF;
  }

  @Override
  public String version() {
    return Versions.current();
  }
}
