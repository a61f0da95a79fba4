package io.streamsight.schemas.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code topics create}: creates missing topics and reports how existing ones differ from their
 * descriptor. Idempotent; never alters an existing topic (changing partitions reshuffles camera
 * keys, so that stays a deliberate operator action).
 */
public final class TopicAdmin {
  /** What happened to one topic. */
  public record Outcome(String topic, Status status, List<String> differences) {
    public enum Status {
      CREATED,
      UNCHANGED,
      DIFFERS
    }

    @Override
    public String toString() {
      return topic + ": " + status + (differences.isEmpty() ? "" : " " + differences);
    }
  }

  private final Admin admin;

  public TopicAdmin(Admin admin) {
    this.admin = admin;
  }

  /**
   * Creates every missing topic of {@code topics}.
   *
   * @param replicationFactor replicas per partition (1 on a single broker, 3 on a cluster)
   * @param extraConfigs added to every created topic (e.g. {@code min.insync.replicas})
   */
  public List<Outcome> createAll(
      Collection<TopicDescriptor<?, ?>> topics,
      short replicationFactor,
      Map<String, String> extraConfigs)
      throws InterruptedException {
    try {
      Set<String> existing = admin.listTopics().names().get();
      List<Outcome> out = new ArrayList<>();
      for (TopicDescriptor<?, ?> t : topics) {
        if (existing.contains(t.name())) {
          out.add(compare(t));
        } else {
          out.add(create(t, replicationFactor, extraConfigs));
        }
      }
      return out;
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot create topics: " + e.getCause().getMessage(), e);
    }
  }

  private Outcome create(TopicDescriptor<?, ?> t, short rf, Map<String, String> extra)
      throws InterruptedException, ExecutionException {
    Map<String, String> configs = new java.util.HashMap<>(t.configs());
    configs.putAll(extra);
    try {
      admin
          .createTopics(List.of(new NewTopic(t.name(), t.partitions(), rf).configs(configs)))
          .all()
          .get();
      return new Outcome(t.name(), Outcome.Status.CREATED, List.of());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return compare(t); // created concurrently by another instance: fine
      }
      throw e;
    }
  }

  private Outcome compare(TopicDescriptor<?, ?> t) throws InterruptedException, ExecutionException {
    List<String> diffs = new ArrayList<>();
    TopicDescription d =
        admin.describeTopics(List.of(t.name())).allTopicNames().get().get(t.name());
    if (d.partitions().size() != t.partitions()) {
      diffs.add("partitions " + d.partitions().size() + " (expected " + t.partitions() + ")");
    }
    ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
    Config cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
    for (Map.Entry<String, String> want : t.configs().entrySet()) {
      ConfigEntry have = cfg.get(want.getKey());
      String value = have == null ? null : have.value();
      if (!want.getValue().equals(value)) {
        diffs.add(want.getKey() + "=" + value + " (expected " + want.getValue() + ")");
      }
    }
    return new Outcome(
        t.name(), diffs.isEmpty() ? Outcome.Status.UNCHANGED : Outcome.Status.DIFFERS, diffs);
  }
}
