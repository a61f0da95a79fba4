package io.streamsight.archive.consume;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What one poll produced, handed from the consumer thread to the indexing thread.
 *
 * @param positions the consumer's position in every assigned partition after this poll: once this
 *     batch is indexed, these are the offsets a commit may record
 * @param deadLettered records of this poll sent to the dead-letter topic
 * @param expired records older than the retention period, skipped
 * @param last the consumer reached the end offsets of a one-shot run; nothing follows
 */
public record Batch(
    List<Pending> items,
    Map<TopicPartition, Long> positions,
    int deadLettered,
    int expired,
    boolean last) {
  public Batch {
    items = List.copyOf(items);
    positions = Map.copyOf(positions);
  }

  public int records() {
    return items.size() + deadLettered + expired;
  }
}
