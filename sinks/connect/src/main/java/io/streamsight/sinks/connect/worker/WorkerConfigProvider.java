package io.streamsight.sinks.connect.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Hands facts about the worker to connector configs: {@code ${streamsight:bootstrap.servers}} is
 * the Kafka cluster the worker runs on (subscriptions read evidence keyframes from it). Configured
 * with {@code config.providers.streamsight.param.<key>=<value>}; it only serves what it was given.
 */
public class WorkerConfigProvider implements ConfigProvider {
  private Map<String, String> values = Map.of();

  @Override
  public void configure(Map<String, ?> configs) {
    Map<String, String> v = new HashMap<>();
    configs.forEach((k, val) -> v.put(k, String.valueOf(val)));
    values = Map.copyOf(v);
  }

  @Override
  public ConfigData get(String path) {
    return new ConfigData(values);
  }

  @Override
  public ConfigData get(String path, Set<String> keys) {
    Map<String, String> out = new HashMap<>();
    for (String k : keys) {
      if (values.containsKey(k)) {
        out.put(k, values.get(k));
      }
    }
    return new ConfigData(out);
  }

  @Override
  public void close() {}
}
