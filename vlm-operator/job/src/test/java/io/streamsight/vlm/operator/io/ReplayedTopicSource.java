package io.streamsight.vlm.operator.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A bounded Flink (v2) source replaying in-memory records of one topic partition through the job's
 * own deserializer, so a test exercises the same decoding and dead-lettering as the Kafka source,
 * without a broker. One reader emits the records in order (offsets 0, 1, ...; other subtasks get
 * nothing and finish at once).
 *
 * <p>The job's sources are independent, so nothing orders a rule before a keyframe. A script may
 * therefore wait, before its next record, until a condition on what the sinks collected holds (for
 * instance "a summary of camera 1 exists"). The reader polls the condition without blocking its
 * task thread (checkpoints go on) and fails the job naming the condition when it does not hold
 * within the timeout, so a broken job fails the test instead of hanging it.
 */
public final class ReplayedTopicSource<T>
    implements Source<T, ReplayedTopicSource.Position, List<ReplayedTopicSource.Position>>,
        ResultTypeQueryable<T> {
  private static final long serialVersionUID = 1L;
  private static final long POLL_MILLIS = 50;

  /** A condition the test checks, typically on a {@link CollectingSink}; shipped with the job. */
  @FunctionalInterface
  public interface Condition extends Serializable {
    boolean holds();
  }

  private sealed interface Step extends Serializable {}

  private record Record(long offset, byte[] key, byte[] value) implements Step {}

  private record Wait(String what, Condition condition) implements Step {}

  private final String topic;
  private final KafkaRecordDeserializationSchema<T> deserializer;
  private final List<Step> steps;
  private final long timeoutMillis;

  private ReplayedTopicSource(
      String topic,
      KafkaRecordDeserializationSchema<T> deserializer,
      List<Step> steps,
      Duration timeout) {
    this.topic = topic;
    this.deserializer = deserializer;
    this.steps = List.copyOf(steps);
    this.timeoutMillis = timeout.toMillis();
  }

  /** Starts a script of records of {@code topic}, read with {@code deserializer}. */
  public static <T> Builder<T> of(String topic, KafkaRecordDeserializationSchema<T> deserializer) {
    return new Builder<>(topic, deserializer);
  }

  /** The records and waits of one source, in order. */
  public static final class Builder<T> {
    private final String topic;
    private final KafkaRecordDeserializationSchema<T> deserializer;
    private final List<Step> steps = new ArrayList<>();
    private long offset;

    private Builder(String topic, KafkaRecordDeserializationSchema<T> deserializer) {
      this.topic = Objects.requireNonNull(topic, "topic");
      this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    }

    /** A record as the broker would hold it: key and value bytes (null value = tombstone). */
    public Builder<T> record(String key, byte[] value) {
      byte[] k = key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      steps.add(new Record(offset++, k, value));
      return this;
    }

    /** Emits nothing more until {@code condition} holds; {@code what} names it in a timeout. */
    public Builder<T> waitUntil(String what, Condition condition) {
      steps.add(new Wait(what, condition));
      return this;
    }

    /**
     * @param timeout how long any one wait may take before the job fails
     */
    public ReplayedTopicSource<T> build(Duration timeout) {
      return new ReplayedTopicSource<>(topic, deserializer, steps, timeout);
    }
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return deserializer.getProducedType();
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<T, Position> createReader(SourceReaderContext context) throws Exception {
    deserializer.open(
        new DeserializationSchema.InitializationContext() {
          @Override
          public MetricGroup getMetricGroup() {
            return context.metricGroup();
          }

          @Override
          public UserCodeClassLoader getUserCodeClassLoader() {
            return context.getUserCodeClassLoader();
          }
        });
    return new Reader(context);
  }

  @Override
  public SplitEnumerator<Position, List<Position>> createEnumerator(
      SplitEnumeratorContext<Position> context) {
    return new Enumerator(context, List.of(new Position(0)));
  }

  @Override
  public SplitEnumerator<Position, List<Position>> restoreEnumerator(
      SplitEnumeratorContext<Position> context, List<Position> unassigned) {
    return new Enumerator(context, unassigned);
  }

  @Override
  public SimpleVersionedSerializer<Position> getSplitSerializer() {
    return new PositionSerializer();
  }

  @Override
  public SimpleVersionedSerializer<List<Position>> getEnumeratorCheckpointSerializer() {
    return new PositionListSerializer();
  }

  /** The one split: the index of the next step of the script. */
  public record Position(int next) implements SourceSplit {
    @Override
    public String splitId() {
      return "script";
    }
  }

  private final class Reader implements SourceReader<T, Position> {
    private final SourceReaderContext context;
    private final Queue<Position> pending = new ArrayDeque<>();
    private Position current;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);
    private boolean waiting;
    private long waitingSinceNanos;

    Reader(SourceReaderContext context) {
      this.context = context;
    }

    @Override
    public void start() {
      context.sendSplitRequest();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
      if (current == null) {
        current = pending.poll();
      }
      if (current == null) {
        if (noMoreSplits) {
          return InputStatus.END_OF_INPUT;
        }
        available = new CompletableFuture<>();
        return InputStatus.NOTHING_AVAILABLE;
      }
      if (current.next() >= steps.size()) {
        current = null;
        return noMoreSplits && pending.isEmpty()
            ? InputStatus.END_OF_INPUT
            : InputStatus.MORE_AVAILABLE;
      }
      Step step = steps.get(current.next());
      if (step instanceof Wait w) {
        if (!w.condition().holds()) {
          return waitFor(w);
        }
        waiting = false;
      } else {
        Record r = (Record) step;
        deserializer.deserialize(
            new ConsumerRecord<>(topic, 0, r.offset(), r.key(), r.value()),
            new Collector<>() {
              @Override
              public void collect(T value) {
                output.collect(value);
              }

              @Override
              public void close() {}
            });
      }
      current = new Position(current.next() + 1);
      return InputStatus.MORE_AVAILABLE;
    }

    private InputStatus waitFor(Wait w) throws TimeoutException {
      long now = System.nanoTime();
      if (!waiting) {
        waiting = true;
        waitingSinceNanos = now;
      } else if (now - waitingSinceNanos > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
        throw new TimeoutException(
            topic
                + " replay: waited "
                + timeoutMillis
                + " ms for "
                + w.what()
                + " before step "
                + current.next());
      }
      // Ask again shortly, from a timer thread: the task thread stays free for checkpoints.
      available =
          CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS));
      return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<Position> snapshotState(long checkpointId) {
      List<Position> state = new ArrayList<>();
      if (current != null) {
        state.add(current);
      }
      state.addAll(pending);
      return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return available;
    }

    @Override
    public void addSplits(List<Position> splits) {
      pending.addAll(splits);
      available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreSplits = true;
      available.complete(null);
    }

    @Override
    public void close() {}
  }

  /** Hands the one split to the first reader that asks; every reader hears "no more". */
  private static final class Enumerator implements SplitEnumerator<Position, List<Position>> {
    private final SplitEnumeratorContext<Position> context;
    private final List<Position> unassigned;

    Enumerator(SplitEnumeratorContext<Position> context, List<Position> unassigned) {
      this.context = context;
      this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String host) {
      if (!unassigned.isEmpty()) {
        context.assignSplit(unassigned.remove(0), subtask);
      }
      context.signalNoMoreSplits(subtask);
    }

    @Override
    public void addSplitsBack(List<Position> splits, int subtask) {
      unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtask) {}

    @Override
    public List<Position> snapshotState(long checkpointId) {
      return List.copyOf(unassigned);
    }

    @Override
    public void close() {}
  }

  private static final class PositionSerializer implements SimpleVersionedSerializer<Position> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Position p) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(p.next());
      }
      return bytes.toByteArray();
    }

    @Override
    public Position deserialize(int version, byte[] b) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
        return new Position(in.readInt());
      }
    }
  }

  private static final class PositionListSerializer
      implements SimpleVersionedSerializer<List<Position>> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(List<Position> ps) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(ps.size());
        for (Position p : ps) {
          out.writeInt(p.next());
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public List<Position> deserialize(int version, byte[] b) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
        int n = in.readInt();
        List<Position> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ps.add(new Position(in.readInt()));
        }
        return ps;
      }
    }
  }
}
