package io.streamsight.deploy.bench.capacity;

import io.streamsight.deploy.bench.capacity.SceneFrames.Picture;
import io.streamsight.ingest.run.CameraStats;
import io.streamsight.ingest.run.FrameSink;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.schemas.avro.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * N live cameras at {@code fps}, straight to {@code cameras.frames} through ingest's own publisher
 * (so backpressure drops frames exactly as a live camera does, counted): mostly static scenes, and
 * per camera one event of {@code eventMillis} per {@code periodMillis}, at a phase of its own so
 * events are spread over the period. Frames are stamped with the wall clock when sent, like a live
 * camera's capture time. The cameras of one tick are spread over {@link #SLOTS} slots so the load
 * is even, not a burst every frame interval.
 */
final class FrameLoad implements AutoCloseable {
  static final int SLOTS = 10;

  /** The first published frame of one event: when a person would have seen it start. */
  record EventStart(String camera, long captureMicros) {}

  private final SceneFrames frames;
  private final KafkaPublisher publisher;
  private final List<Camera> cameras = new ArrayList<>();
  private final long periodMillis;
  private final long eventMillis;
  private final long frameMillis;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "capacity-load");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, List<EventStart>> events = new ConcurrentHashMap<>();
  private volatile long startMillis;
  private volatile boolean recording;

  private final class Camera {
    final String id;
    final int index;
    final String session = UUID.randomUUID().toString();
    final CameraStats stats = new CameraStats();
    final FrameSink sink;
    long sequence;
    boolean inEvent;

    Camera(String id, int index) {
      this.id = id;
      this.index = index;
      this.sink = publisher.forCamera(id, stats);
    }
  }

  FrameLoad(String bootstrap, int cameraCount, double fps, long periodMillis, long eventMillis) {
    this.frames = SceneFrames.create();
    this.publisher = KafkaPublisher.standard(bootstrap);
    this.periodMillis = periodMillis;
    this.eventMillis = eventMillis;
    this.frameMillis = Math.round(1000 / fps);
    for (int i = 0; i < cameraCount; i++) {
      cameras.add(new Camera(String.format("cap-%04d", i), i));
    }
  }

  void start() {
    startMillis = System.currentTimeMillis();
    long slotMillis = Math.max(1, frameMillis / SLOTS);
    for (int s = 0; s < SLOTS; s++) {
      int slot = s;
      timer.scheduleAtFixedRate(
          () -> tick(slot), s * slotMillis, frameMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** From now on event starts are recorded (the warm-up's are not). */
  void record(boolean on) {
    recording = on;
  }

  private void tick(int slot) {
    long now = System.currentTimeMillis();
    for (int i = slot; i < cameras.size(); i += SLOTS) {
      Camera c = cameras.get(i);
      // Each camera's event phase is spread over the period by its index.
      long phase =
          Math.floorMod(
              now - startMillis - (long) c.index * periodMillis / cameras.size(), periodMillis);
      boolean event = phase < eventMillis;
      Picture p = event ? frames.event() : frames.scene(c.index);
      long micros = now * 1000;
      Frame f =
          Frame.newBuilder()
              .setCameraId(c.id)
              .setIngestSessionId(c.session)
              .setSequence(c.sequence++)
              .setCaptureTimeMicros(micros)
              .setPtsMicros(micros)
              .setWidth(SceneFrames.WIDTH)
              .setHeight(SceneFrames.HEIGHT)
              .setJpeg(ByteBuffer.wrap(p.jpeg()))
              .setFeatures(p.features())
              .build();
      boolean sent = c.sink.tryPublish(f);
      if (event && !c.inEvent && sent) {
        c.inEvent = true;
        if (recording) {
          events.computeIfAbsent(c.id, k -> new ArrayList<>()).add(new EventStart(c.id, micros));
        }
      } else if (!event) {
        c.inEvent = false;
      }
    }
  }

  Map<String, List<EventStart>> events() {
    return events;
  }

  long published() {
    return cameras.stream().mapToLong(c -> c.stats.published()).sum();
  }

  long dropped() {
    return cameras.stream().mapToLong(c -> c.stats.dropped() + c.stats.sendErrors()).sum();
  }

  int jpegBytes() {
    return frames.averageJpegBytes();
  }

  void stop() {
    timer.shutdownNow();
  }

  @Override
  public void close() {
    stop();
    publisher.close();
  }
}
