package io.streamsight.sampler;

import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.CameraIds;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads live questions from {@code vlm.queries} into a {@link QuestionBook}, so the sampler can
 * turn the asked camera's next fresh frame into a {@code QUERY} keyframe (issue 18).
 *
 * <p>Why a plain consumer beside the Streams app and not a second topology input: frames are keyed
 * and partitioned by camera, questions by query id (and the topics may have different partition
 * counts), so a question does not land in the task that owns its camera; re-keying it through a
 * repartition topic would add a topic, a transaction round-trip (~200 ms commit interval) and a hop
 * to every question. Instead every sampler instance reads every question (a few per second at most,
 * tiny records) and acts only for the cameras whose frames its own tasks process; the others let
 * the entry expire. No consumer group: each instance must see all partitions, and positions need
 * not survive a restart.
 *
 * <p>Start position: for each partition, the first record written at most {@code pendingFor} before
 * the watch started (else the end). Questions still pending when the sampler (re)started are thus
 * not lost, and nothing older is read.
 *
 * <p>This is processing-time input to an exactly-once app: which frame becomes the {@code QUERY}
 * keyframe depends on when the question arrived relative to the frames, and a replay of {@code
 * cameras.frames} (after a crash before a commit, or a reset) may place it elsewhere or not at all.
 * That only changes which extra frames the operator's windows hold; the rule keyframes, their
 * spacing and the progress records stay a function of the frames. Likewise a question taken by a
 * transaction that then aborts is not given back: its answer falls back to the freshest frame the
 * operator has (the operator waits for the frame only up to its own timeout).
 *
 * <p>Bad records never stop it: an undecodable record or one with an invalid camera id is skipped
 * with a rate-limited warning (the operator, which owns {@code vlm.queries}, answers or
 * dead-letters those); broker trouble is retried.
 */
public final class QuestionWatch implements PendingQuestions, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuestionWatch.class);
  private static final String TOPIC = Topics.QUERIES.name();
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(10);
  private static final long PARTITION_CHECK_MILLIS = 60_000;
  private static final long RETRY_MILLIS = 2_000;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final QuestionBook book;
  private final QuestionSettings settings;
  private final String bootstrap;
  private final AvroCodec<Query> codec = AvroCodec.of(Query.class);
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean started;
  private final Set<TopicPartition> assigned = new HashSet<>();
  private final AtomicLong questions = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  // One limiter per kind of problem, so a flood of one does not hide the other.
  private final RateLimitedWarning undecodable = new RateLimitedWarning(10_000);
  private final RateLimitedWarning badCameraIds = new RateLimitedWarning(10_000);
  private final RateLimitedWarning full = new RateLimitedWarning(10_000);
  private final RateLimitedWarning trouble = new RateLimitedWarning(30_000);
  private volatile boolean closing;

  private QuestionWatch(String bootstrap, QuestionSettings settings, QuestionBook book) {
    this.bootstrap = bootstrap;
    this.settings = settings;
    this.book = book;
    this.consumer = new KafkaConsumer<>(consumerConfig(bootstrap));
    this.thread = new Thread(this::run, "sampler-question-watch");
    thread.setDaemon(true); // never keeps a JVM alive; close() still stops it properly
  }

  /**
   * A watch that reads nothing until {@link #start()}: the topology can be built on it first, and
   * it starts reading together with the app. {@link #close()} it in any case.
   */
  public static QuestionWatch create(String bootstrap, QuestionSettings settings) {
    return new QuestionWatch(bootstrap, settings, new QuestionBook(settings));
  }

  /** Starts reading {@code vlm.queries} on its own daemon thread; {@link #close()} stops it. */
  public synchronized QuestionWatch start() {
    if (!started && !closing) {
      started = true;
      thread.start();
    }
    return this;
  }

  static Properties consumerConfig(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamsight-sampler-questions");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // A question in an aborted transaction was never asked.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Questions are small; a bad producer's huge record must not cost much memory per fetch.
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20);
    // The broker holds an empty fetch this long (default 500 ms: 2 fetches a second while no one
    // asks anything, issue 28). No latency cost: with fetch.min.bytes 1 a question (or the commit
    // marker that makes it readable) answers the held fetch at once. Only a partition added later
    // (checked every minute) may wait up to this long for its first fetch.
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000);
    return p;
  }

  @Override
  public boolean takeFor(String cameraId, long captureMicros) {
    return book.takeFor(cameraId, captureMicros);
  }

  /** Questions read and kept pending so far. */
  public long questions() {
    return questions.get();
  }

  /** Records skipped so far (undecodable, invalid camera id). */
  public long skipped() {
    return skipped.get();
  }

  /** Cameras with a question pending. */
  int pending() {
    return book.size();
  }

  private void run() {
    long nextPartitionCheck = 0;
    long nextPurge = 0;
    try {
      while (!closing) {
        try {
          long now = System.currentTimeMillis();
          if (assigned.isEmpty() || now >= nextPartitionCheck) {
            assignPartitions();
            nextPartitionCheck = now + PARTITION_CHECK_MILLIS;
            if (assigned.isEmpty()) {
              nextPartitionCheck = now + RETRY_MILLIS;
              stop.await(RETRY_MILLIS, TimeUnit.MILLISECONDS);
              continue;
            }
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            handle(r);
          }
          if (now >= nextPurge) {
            book.purgeExpired();
            nextPurge = now + 1_000;
          }
        } catch (WakeupException e) {
          if (!closing) {
            throw e;
          }
        } catch (RuntimeException e) {
          // Broker gone, topic deleted, authorization: keep trying; frames flow regardless.
          trouble.warn("reading " + TOPIC + " on " + bootstrap + " failed, retrying: " + e);
          stop.await(RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error(
          "question watch stopped: questions no longer force QUERY keyframes; {}", e.toString(), e);
    } finally {
      closeConsumer();
      stopped.countDown();
    }
  }

  /** Assigns every partition of the topic; new ones start {@code pendingFor} back. */
  private void assignPartitions() {
    List<PartitionInfo> infos = consumer.partitionsFor(TOPIC, API_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      trouble.warn(
          TOPIC
              + " does not exist on "
              + bootstrap
              + " (yet): questions cannot force keyframes until it does; create it with"
              + " streamsight topics create");
      return;
    }
    Set<TopicPartition> all = new HashSet<>();
    infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
    Set<TopicPartition> added = new HashSet<>(all);
    added.removeAll(assigned);
    if (added.isEmpty()) {
      return;
    }
    consumer.assign(all);
    long since = System.currentTimeMillis() - settings.pendingFor().toMillis();
    Map<TopicPartition, Long> query = new HashMap<>();
    added.forEach(tp -> query.put(tp, since));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, API_TIMEOUT);
    for (TopicPartition tp : added) {
      OffsetAndTimestamp at = found.get(tp);
      if (at == null) {
        consumer.seekToEnd(List.of(tp));
      } else {
        consumer.seek(tp, at.offset());
      }
    }
    assigned.clear();
    assigned.addAll(all);
    LOG.info("watching {} ({} partitions) for live questions", TOPIC, all.size());
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    Query q;
    try {
      q = codec.decode(r.topic(), r.partition(), r.offset(), r.value());
    } catch (RuntimeException e) {
      skipped.incrementAndGet();
      undecodable.warn("skipping a record at " + where + " that is no Query: " + e.getMessage());
      return;
    }
    if (q.getLookbackMicros() != null) {
      return; // a question about the past is answered from summaries: it needs no fresh frame
    }
    String problem = CameraIds.problem(q.getCameraId());
    if (problem != null) {
      skipped.incrementAndGet();
      badCameraIds.warn(
          "skipping question " + q.getQueryId() + " at " + where + ": cameraId " + problem);
      return;
    }
    QuestionBook.Outcome o = book.ask(q.getCameraId(), q.getCreatedMicros(), q.getDeadlineMicros());
    if (o == QuestionBook.Outcome.FULL) {
      full.warn(
          "question "
              + q.getQueryId()
              + " about "
              + q.getCameraId()
              + " forces no keyframe: questions are pending for "
              + settings.maxCameras()
              + " cameras already (questions.maxCameras)");
    } else if (o == QuestionBook.Outcome.PENDING) {
      questions.incrementAndGet();
    }
  }

  private void closeConsumer() {
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("closing the question watch's consumer: {}", e.toString());
    }
  }

  /** Stops the thread and closes the consumer; waits up to a few seconds. */
  @Override
  public void close() {
    synchronized (this) {
      closing = true;
      if (!started) {
        closeConsumer();
        return;
      }
    }
    stop.countDown();
    consumer.wakeup();
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        LOG.warn("question watch did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Logs at most once per interval, saying how many lines it folded. */
  private static final class RateLimitedWarning {
    private final long intervalMillis;
    private long last = Long.MIN_VALUE;
    private long folded;

    RateLimitedWarning(long intervalMillis) {
      this.intervalMillis = intervalMillis;
    }

    synchronized void warn(String message) {
      long now = System.currentTimeMillis();
      if (last != Long.MIN_VALUE && now - last < intervalMillis) {
        folded++;
        return;
      }
      LOG.warn("{}{}", message, folded == 0 ? "" : " (+" + folded + " similar since the last)");
      folded = 0;
      last = now;
    }
  }
}
