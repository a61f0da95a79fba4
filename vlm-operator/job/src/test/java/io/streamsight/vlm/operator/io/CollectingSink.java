package io.streamsight.vlm.operator.io;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink (v2) sink that collects what the job wrote into a static concurrent queue, for tests on a
 * MiniCluster (same JVM). The sink itself only carries its queue's name, which is unique per
 * instance, so the sinks of different tests and runs never mix. Not exactly-once: it shows what the
 * job emitted, including any replays after a restart.
 */
public final class CollectingSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, Queue<Object>> COLLECTED = new ConcurrentHashMap<>();

  private final String name;

  private CollectingSink(String name) {
    this.name = name;
  }

  /** A new, empty sink; {@code what} only makes the name readable. */
  public static <T> CollectingSink<T> create(String what) {
    String name = what + "-" + UUID.randomUUID();
    COLLECTED.put(name, new ConcurrentLinkedQueue<>());
    return new CollectingSink<>(name);
  }

  /** What the job wrote so far, in arrival order. */
  @SuppressWarnings("unchecked")
  public List<T> collected() {
    return (List<T>) List.copyOf(queue());
  }

  /** Frees the queue once the test has read it. */
  public void discard() {
    COLLECTED.remove(name);
  }

  private Queue<Object> queue() {
    Queue<Object> q = COLLECTED.get(name);
    if (q == null) {
      throw new IllegalStateException("collecting sink " + name + " was discarded");
    }
    return q;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    Queue<Object> q = queue();
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context ctx) {
        q.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }

  @Override
  public String toString() {
    return "CollectingSink[" + name + "]";
  }
}
