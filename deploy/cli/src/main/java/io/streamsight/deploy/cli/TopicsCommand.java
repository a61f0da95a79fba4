package io.streamsight.deploy.cli;

import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight topics create|list}. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Create or list Streamsight's topics.",
    subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
public final class TopicsCommand {

  static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create missing topics (idempotent) and report how existing ones differ from their"
              + " definition.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
    String bootstrap;

    @Option(
        names = "--replication-factor",
        defaultValue = "1",
        description = "Replicas per partition (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--min-isr", description = "min.insync.replicas for created topics.")
    Integer minIsr;

    @Override
    public Integer call() throws Exception {
      Map<String, String> extra = new HashMap<>();
      if (minIsr != null) {
        extra.put("min.insync.replicas", minIsr.toString());
      }
      BrokerReach.require(bootstrap);
      try (Admin admin = admin(bootstrap)) {
        var outcomes = new TopicAdmin(admin).createAll(Topics.all(), replicationFactor, extra);
        outcomes.forEach(System.out::println);
        return outcomes.stream().anyMatch(o -> o.status() == TopicAdmin.Outcome.Status.DIFFERS)
            ? 3
            : 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List topic definitions.")
  static final class ListTopics implements Callable<Integer> {
    @Override
    public Integer call() {
      Topics.all()
          .forEach(
              t ->
                  System.out.printf(
                      "%-20s partitions=%d %s%n", t.name(), t.partitions(), t.configs()));
      return 0;
    }
  }
}
