package io.streamsight.ingest.run;

import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One idempotent producer ({@code acks=all}, key = camera id) shared by all cameras of a process;
 * each camera gets a {@link FrameSink} with its own in-flight budget so one slow camera's backlog
 * cannot starve the others. Values are serialized on the decoder thread with the topic descriptors'
 * serdes, so a bad record fails its camera, not the producer's I/O thread.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
  private final Producer<String, byte[]> producer;
  private final Serializer<Frame> frameSer = Topics.FRAMES.valueSerde().serializer();
  private final Serializer<CameraStatus> statusSer = Topics.STATUS.valueSerde().serializer();
  private final String framesTopic;
  private final String statusTopic;
  private final int maxInFlightPerCamera;

  /**
   * Bytes of frames handed to the producer and not yet acknowledged, across all cameras. Kept below
   * the producer's {@code buffer.memory}, so {@code send} never finds the buffer full and never
   * blocks a decoder for {@code max.block.ms}: a live camera that finds the budget spent drops the
   * frame (counted), a file waits for room.
   */
  private final Semaphore bufferBudget;

  private final int budgetBytes;

  /** The producer's buffer: room for the budget plus a frame and statuses of every size. */
  static final long BUFFER_MEMORY = 64L << 20;

  static final int BUFFER_BUDGET = (int) (BUFFER_MEMORY - 2L * Topics.FRAMES.maxMessageBytes());

  /**
   * @param maxInFlightPerCamera frames sent but not yet acknowledged, per camera, before a live
   *     camera starts dropping (a file waits)
   */
  public KafkaPublisher(
      String bootstrap,
      String framesTopic,
      String statusTopic,
      int maxInFlightPerCamera,
      Map<String, Object> overrides) {
    this(
        new KafkaProducer<>(
            producerProps(bootstrap, overrides), new StringSerializer(), new ByteArraySerializer()),
        framesTopic,
        statusTopic,
        maxInFlightPerCamera,
        BUFFER_BUDGET);
  }

  private static Map<String, Object> producerProps(
      String bootstrap, Map<String, Object> overrides) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // JPEG does not compress further.
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    // The frames topic's limit (status records are far smaller): a frame too large for the topic
    // fails here at once, counted as a send error, instead of being rejected by the broker.
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.FRAMES.producerMaxRequestSize());
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_MEMORY);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "streamsight-ingest");
    props.putAll(overrides);
    return props;
  }

  /** With a given producer and buffer budget: the seam the backpressure test uses. */
  KafkaPublisher(
      Producer<String, byte[]> producer,
      String framesTopic,
      String statusTopic,
      int maxInFlightPerCamera,
      int bufferBudgetBytes) {
    this.producer = producer;
    this.framesTopic = framesTopic;
    this.statusTopic = statusTopic;
    this.maxInFlightPerCamera = maxInFlightPerCamera;
    this.budgetBytes = bufferBudgetBytes;
    this.bufferBudget = new Semaphore(bufferBudgetBytes);
  }

  public static KafkaPublisher standard(String bootstrap) {
    return new KafkaPublisher(bootstrap, Topics.FRAMES.name(), Topics.STATUS.name(), 32, Map.of());
  }

  /** The sink of one camera; its counters go to {@code stats}. */
  public FrameSink forCamera(String cameraId, CameraStats stats) {
    return new CameraSink(cameraId, stats);
  }

  /** The producer's own metrics (the metrics endpoint exposes a few of them). */
  public java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric>
      metrics() {
    return producer.metrics();
  }

  @Override
  public void close() {
    producer.close();
  }

  private final class CameraSink implements FrameSink {
    private final String cameraId;
    private final CameraStats stats;
    private final Semaphore inFlight = new Semaphore(maxInFlightPerCamera);
    private final RateLimitedLog errorLog = new RateLimitedLog(LOG, 10_000);

    CameraSink(String cameraId, CameraStats stats) {
      this.cameraId = cameraId;
      this.stats = stats;
    }

    @Override
    public boolean tryPublish(Frame frame) {
      if (!inFlight.tryAcquire()) {
        return false;
      }
      byte[] value = serialize(frame);
      int cost = Math.min(value.length, budgetBytes);
      if (!bufferBudget.tryAcquire(cost)) {
        inFlight.release();
        return false; // the shared buffer is full: drop rather than block the decoder
      }
      send(value, cost);
      return true;
    }

    @Override
    public void publish(Frame frame) throws InterruptedException {
      inFlight.acquire();
      byte[] value = serialize(frame);
      int cost = Math.min(value.length, budgetBytes);
      try {
        bufferBudget.acquire(cost);
      } catch (InterruptedException e) {
        inFlight.release();
        throw e;
      }
      send(value, cost);
    }

    private byte[] serialize(Frame frame) {
      try {
        return frameSer.serialize(framesTopic, frame);
      } catch (RuntimeException e) {
        inFlight.release();
        throw e;
      }
    }

    private void send(byte[] value, int cost) {
      try {
        producer.send(
            new ProducerRecord<>(framesTopic, cameraId, value),
            (md, e) -> {
              bufferBudget.release(cost);
              inFlight.release();
              if (e == null) {
                stats.publishedNow();
              } else {
                stats.sendErrors.incrementAndGet();
                errorLog.warn("camera " + cameraId + ": frame not published: " + e);
              }
            });
      } catch (RuntimeException e) {
        bufferBudget.release(cost);
        inFlight.release();
        stats.sendErrors.incrementAndGet();
        errorLog.warn("camera " + cameraId + ": frame not published: " + e);
      }
    }

    @Override
    public void status(CameraStatus status) {
      try {
        producer.send(
            new ProducerRecord<>(statusTopic, cameraId, statusSer.serialize(statusTopic, status)),
            (md, e) -> {
              if (e != null) {
                errorLog.warn("camera " + cameraId + ": status not published: " + e);
              }
            });
      } catch (RuntimeException e) {
        errorLog.warn("camera " + cameraId + ": status not published: " + e);
      }
    }

    @Override
    public void flush() throws InterruptedException {
      producer.flush();
      inFlight.acquire(maxInFlightPerCamera);
      inFlight.release(maxInFlightPerCamera);
    }

    @Override
    public void close() {
      // The producer is shared; KafkaPublisher.close() closes it.
    }
  }
}
