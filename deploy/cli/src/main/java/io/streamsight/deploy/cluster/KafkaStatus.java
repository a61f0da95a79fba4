package io.streamsight.deploy.cluster;

import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/** Kafka health for {@code cluster status}: live brokers, replication, consumer group lag. */
public final class KafkaStatus {
  /** Lag of one consumer group on one topic (sum over its partitions). */
  public record GroupLag(String group, String topic, long lag) {}

  /** Replication of one topic: partitions whose ISR is smaller than the replica set. */
  public record TopicHealth(String topic, int partitions, int replicas, int underReplicated) {}

  private static final long TIMEOUT_S = 10;

  private KafkaStatus() {}

  public static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(p);
  }

  public static int liveBrokers(Admin admin)
      throws InterruptedException, ExecutionException, TimeoutException {
    return admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS).size();
  }

  public static List<TopicHealth> topicHealth(Admin admin)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> names = Topics.all().stream().map(TopicDescriptor::name).toList();
    var existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
    List<String> present = names.stream().filter(existing::contains).toList();
    Map<String, TopicDescription> d =
        admin.describeTopics(present).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
    List<TopicHealth> out = new ArrayList<>();
    for (String name : present) {
      List<TopicPartitionInfo> parts = d.get(name).partitions();
      int replicas = parts.isEmpty() ? 0 : parts.get(0).replicas().size();
      int under = (int) parts.stream().filter(p -> p.isr().size() < p.replicas().size()).count();
      out.add(new TopicHealth(name, parts.size(), replicas, under));
    }
    return out;
  }

  /** Lag per (group, topic): latest offset minus committed offset, over committed partitions. */
  public static List<GroupLag> lag(Admin admin)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<GroupLag> out = new ArrayList<>();
    for (ConsumerGroupListing g :
        admin.listConsumerGroups().all().get(TIMEOUT_S, TimeUnit.SECONDS)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(g.groupId())
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT_S, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latestSpec = new HashMap<>();
      committed.forEach((tp, om) -> latestSpec.put(tp, OffsetSpec.latest()));
      if (latestSpec.isEmpty()) {
        continue;
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest =
          admin.listOffsets(latestSpec).all().get(TIMEOUT_S, TimeUnit.SECONDS);
      Map<String, Long> byTopic = new java.util.TreeMap<>();
      committed.forEach(
          (tp, om) -> {
            if (om != null && latest.containsKey(tp)) {
              byTopic.merge(
                  tp.topic(), Math.max(0, latest.get(tp).offset() - om.offset()), Long::sum);
            }
          });
      byTopic.forEach((topic, l) -> out.add(new GroupLag(g.groupId(), topic, l)));
    }
    return out;
  }
}
