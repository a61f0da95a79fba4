package io.streamsight.archive.index;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What an index commit records besides documents (Lucene commit user data): the next offset to read
 * per topic partition (the documents of every record before it are in this commit, and none after
 * it), the embedding model, the limits in force, and running counters. Restart resumes from exactly
 * these offsets, so a crash between commits neither loses nor repeats a record.
 */
public record CommitPoint(
    Map<TopicPartition, Long> offsets,
    String modelId,
    Map<String, Long> counters,
    long committedAtMillis) {

  static final String OFFSET_PREFIX = "offset/";
  static final String COUNTER_PREFIX = "count/";
  static final String MODEL = "model";
  static final String COMMITTED_AT = "committedAt";

  /** Counter names. */
  public static final String DEAD_LETTERED = "deadLettered";

  public static final String THUMBNAILS_MISSING = "thumbnailsMissing";
  public static final String THUMBNAILS_REFUSED = "thumbnailsRefused";
  public static final String EXPIRED_ON_ARRIVAL = "expiredOnArrival";
  public static final String DELETED_BY_RETENTION = "deletedByRetention";
  public static final String DELETED_BY_DISK_BUDGET = "deletedByDiskBudget";
  public static final String RETAIN_MILLIS = "retainMillis";
  public static final String MAX_DISK_BYTES = "maxDiskBytes";

  public CommitPoint {
    offsets = Map.copyOf(offsets);
    counters = Map.copyOf(counters);
  }

  public static CommitPoint empty(String modelId) {
    return new CommitPoint(Map.of(), modelId, Map.of(), 0);
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  public Map<String, String> toUserData() {
    Map<String, String> m = new TreeMap<>();
    offsets.forEach(
        (tp, o) -> m.put(OFFSET_PREFIX + tp.topic() + "/" + tp.partition(), Long.toString(o)));
    counters.forEach((k, v) -> m.put(COUNTER_PREFIX + k, Long.toString(v)));
    if (modelId != null) {
      m.put(MODEL, modelId);
    }
    m.put(COMMITTED_AT, Long.toString(committedAtMillis));
    return m;
  }

  public static CommitPoint fromUserData(Map<String, String> data) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    Map<String, Long> counters = new HashMap<>();
    data.forEach(
        (k, v) -> {
          if (k.startsWith(OFFSET_PREFIX)) {
            String rest = k.substring(OFFSET_PREFIX.length());
            int slash = rest.lastIndexOf('/');
            offsets.put(
                new TopicPartition(
                    rest.substring(0, slash), Integer.parseInt(rest.substring(slash + 1))),
                Long.parseLong(v));
          } else if (k.startsWith(COUNTER_PREFIX)) {
            counters.put(k.substring(COUNTER_PREFIX.length()), Long.parseLong(v));
          }
        });
    return new CommitPoint(
        offsets, data.get(MODEL), counters, Long.parseLong(data.getOrDefault(COMMITTED_AT, "0")));
  }
}
