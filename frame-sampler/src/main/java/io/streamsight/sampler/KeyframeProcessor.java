package io.streamsight.sampler;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.codec.RecordDecodeException;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.CameraIds;
import io.streamsight.schemas.validation.InvalidRecordException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reads raw Frame bytes, decides with {@link KeyframeDecider}, keeps per-camera state in the store,
 * and forwards keyframes (fully decoded only then) to {@link SamplerTopology#KEYFRAMES_SINK} and
 * undecodable records or frames with an invalid camera id ({@link CameraIds}), with the reason, to
 * {@link SamplerTopology#DLQ_SINK}.
 *
 * <p>Event-time progress ({@link Progress}, {@link ProgressSettings}): the sampler is the last
 * stage that sees every frame, so it tells the operator how far each camera's time has got. A frame
 * that is no keyframe but is {@code interval} past the last forwarded record becomes a progress
 * record; and a wall-clock punctuator extrapolates the time of cameras that went quiet. The quiet
 * check uses arrival times held in memory only, starting at this task's start for cameras not seen
 * since: after a restart the sampler first reads its backlog, and persisted arrival times would
 * make every camera look quiet for the downtime and run its time past the frames still waiting.
 *
 * <p>Live questions ({@link PendingQuestions}, fed by {@link QuestionWatch}): a frame of a camera
 * with a pending question, captured at most {@code questions.maxFrameAge} before the question, is
 * forwarded as a keyframe (reason QUERY unless it is one for another reason) and takes the
 * question; older frames (a backlog being read) leave it pending. The question is taken before the
 * frame's transaction commits and is not given back if it aborts; like the arrival times, this is
 * processing-time input, so a replay of {@code cameras.frames} may place QUERY keyframes
 * differently (see {@link QuestionWatch} for why that is acceptable).
 *
 * <p>Bounded state ({@link StateSettings}): a camera whose last frame arrived {@code cameraTtl} ago
 * (wall time, kept in its state so a restart keeps counting) is deleted by the same punctuator
 * walk; a frame of a camera without state needs a token of this task's {@link NewCameraGate}, else
 * it is dead-lettered naming the limit. Both are counted (Streams metrics {@code
 * cameras-expired-total}, {@code new-cameras-refused-total}, group {@code
 * stream-frame-sampler-metrics}).
 *
 * <p>Writes refused as too large ({@link OversizedRecords}): a frame whose output a previous
 * attempt of this transaction could not write is dead-lettered instead, with the refusal's reason.
 */
final class KeyframeProcessor implements Processor<byte[], byte[], Object, Object> {
  private final SamplerConfig config;
  private final PendingQuestions questions;
  private final SamplerMetrics metrics;
  private final OversizedRecords oversized;
  private final NewCameraGate newCameras;
  private Sensor refusedCameras;
  private Sensor expiredCameras;
  private final FrameHeaderDecoder headers = new FrameHeaderDecoder();
  private final AvroCodec<Frame> frames = AvroCodec.of(Frame.class);
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, byte[]> store;
  private final Map<String, Long> arrivalMillis = new HashMap<>();
  private long startedMillis;

  /**
   * The largest frame whose keyframe fits the keyframes topic: a keyframe is its frame plus a
   * reason, a score and source coordinates (well under 1 KiB more).
   */
  static final int KEYFRAME_ROOM = Topics.KEYFRAMES.maxMessageBytes() - 1024;

  KeyframeProcessor(
      SamplerConfig config,
      PendingQuestions questions,
      OversizedRecords oversized,
      SamplerMetrics metrics) {
    this.config = config;
    this.questions = questions;
    this.oversized = oversized;
    this.metrics = metrics;
    this.newCameras = new NewCameraGate(config.state().maxNewCamerasPerMinute());
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.store = context.getStateStore(SamplerTopology.STATE_STORE);
    this.startedMillis = context.currentSystemTimeMs();
    this.refusedCameras = sensor(context, "new-cameras-refused");
    this.expiredCameras = sensor(context, "cameras-expired");
    context.schedule(
        config.progress().interval(), PunctuationType.WALL_CLOCK_TIME, this::extrapolateQuiet);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    OversizedRecords.Refusal refusal =
        oversized.refusal(OversizedRecords.key(meta.topic(), meta.partition(), meta.offset()));
    if (refusal != null) {
      // An earlier attempt's output for this frame was refused as too large: dead-letter it now.
      deadLetterTooLarge(
          record,
          meta,
          "record for "
              + refusal.topic()
              + " of "
              + refusal.bytes()
              + " bytes is too large to write: "
              + refusal.reason(),
          refusal.keepBytes());
      return;
    }
    FrameHeader header;
    try {
      header = headers.decode(meta.topic(), meta.partition(), meta.offset(), record.value());
    } catch (RecordDecodeException e) {
      metrics.deadLetter("undecodable");
      deadLetter(record, meta, e);
      return;
    }
    String idProblem = CameraIds.problem(header.cameraId());
    if (idProblem != null) {
      // The id would become a state-store key and the keyframe's key: refuse it here, with why.
      metrics.deadLetter("invalid-camera-id");
      deadLetter(record, meta, new InvalidRecordException("cameraId", idProblem));
      return;
    }
    metrics.frame(header.cameraId(), header.captureTimeMicros());
    byte[] stateBytes = store.get(header.cameraId());
    long now = context.currentSystemTimeMs();
    if (stateBytes == null && !newCameras.admit(now)) {
      refusedCameras.record();
      String why =
          "new camera id refused: more than state.maxNewCamerasPerMinute ("
              + newCameras.perMinute()
              + ") new camera ids in a minute on partition "
              + meta.partition()
              + " of "
              + meta.topic();
      deadLetter(record, meta, new InvalidRecordException("cameraId", why));
      return;
    }
    SamplerState state = stateBytes == null ? null : SamplerState.fromBytes(stateBytes);
    CameraSettings settings = config.forCamera(header.cameraId());
    KeyframeDecider.Decision d = KeyframeDecider.decide(state, header, settings);
    // Asked only for a frame that can be forwarded (in order, small enough), so a question is
    // never used up by a frame that does not reach the keyframes topic.
    if (record.value().length <= KEYFRAME_ROOM
        && KeyframeDecider.mayAnswer(state, header)
        && questions.takeFor(header.cameraId(), header.captureTimeMicros())) {
      d = KeyframeDecider.answering(state, header, settings, d);
    }
    if (d.emit() && record.value().length > KEYFRAME_ROOM) {
      // The keyframe would be larger than its topic takes: its write would fail on every retry.
      // Dead-letter the frame (truncated to fit) and leave the state as it was.
      metrics.deadLetter("too-large");
      deadLetterTooLarge(
          record,
          meta,
          "frame of "
              + record.value().length
              + " bytes is too large for a keyframe on "
              + Topics.KEYFRAMES.name()
              + " (max.message.bytes "
              + Topics.KEYFRAMES.maxMessageBytes()
              + ")",
          Topics.DLQ_MAX_ORIGINAL_BYTES);
      return;
    }
    if (d.emit()) {
      // Only keyframes pay for the full decode (and the one copy of the JPEG it makes).
      Frame f;
      try {
        f = frames.decode(meta.topic(), meta.partition(), meta.offset(), record.value());
      } catch (RecordDecodeException e) {
        // State is left as it was: a frame we cannot forward must not become the reference.
        metrics.deadLetter("undecodable");
        deadLetter(record, meta, e);
        return;
      }
      // The keyframe keeps the frame record's timestamp, not the capture time: topic retention
      // is by record timestamp, and a file source replayed with an old start time would
      // otherwise have its keyframes deleted as soon as they are written. Event time travels in
      // the payload (captureTimeMicros).
      context.forward(
          new Record<Object, Object>(
              header.cameraId(),
              SamplerRecords.keyframe(f, d, meta),
              record.timestamp(),
              SamplerRecords.source(meta)),
          SamplerTopology.KEYFRAMES_SINK);
      metrics.keyframe(header.cameraId(), d.reason());
    }
    SamplerState next = d.next();
    long t = header.captureTimeMicros();
    if (!d.emit()
        && t >= next.lastSeenMicros()
        && t - next.lastForwardedMicros() >= config.progress().intervalMicros()) {
      context.forward(
          new Record<Object, Object>(
              header.cameraId(),
              Progress.of(
                  header.cameraId(),
                  header.ingestSessionId(),
                  header.sequence(),
                  t,
                  meta.partition(),
                  meta.offset()),
              record.timestamp()),
          SamplerTopology.KEYFRAMES_SINK);
      metrics.progress(header.cameraId());
      next = next.forwarded(t);
    }
    arrivalMillis.put(header.cameraId(), now);
    store.put(header.cameraId(), next.arrived(now).toBytes());
  }

  /**
   * Forwards extrapolated progress for every camera quiet for {@code idleAfter}: its newest capture
   * time plus the wall time since its last frame, at most {@code idleFor} past that frame; and
   * deletes the state of cameras without a frame for {@code state.cameraTtl}.
   */
  private void extrapolateQuiet(long nowMillis) {
    ProgressSettings p = config.progress();
    long ttlMillis = config.state().cameraTtl().toMillis();
    List<KeyValue<String, SamplerState>> updates = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> e = it.next();
        SamplerState s = SamplerState.fromBytes(e.value);
        long arrived = s.lastArrivalMillis() < 0 ? startedMillis : s.lastArrivalMillis();
        if (nowMillis - arrived >= ttlMillis) {
          expired.add(e.key);
          continue;
        }
        long quietMillis = nowMillis - arrivalMillis.getOrDefault(e.key, startedMillis);
        if (quietMillis < p.idleAfter().toMillis()) {
          continue;
        }
        long t = s.lastSeenMicros() + Math.min(quietMillis * 1000, p.idleForMicros());
        if (t - s.lastForwardedMicros() < p.intervalMicros()
            && t < s.lastSeenMicros() + p.idleForMicros()) {
          continue;
        }
        if (t <= s.lastForwardedMicros()) {
          continue; // already said; the extrapolation has reached its end
        }
        context.forward(
            new Record<Object, Object>(
                e.key, Progress.of(e.key, s.sessionId(), -1, t, -1, -1), nowMillis),
            SamplerTopology.KEYFRAMES_SINK);
        metrics.progress(e.key);
        updates.add(KeyValue.pair(e.key, s.forwarded(t)));
      }
    }
    updates.forEach(u -> store.put(u.key, u.value.toBytes()));
    for (String camera : expired) {
      store.delete(camera);
      arrivalMillis.remove(camera);
      expiredCameras.record();
    }
  }

  private static Sensor sensor(ProcessorContext<?, ?> context, String operation) {
    return context
        .metrics()
        .addRateTotalSensor(
            OversizedRecords.STAGE, context.taskId().toString(), operation, RecordingLevel.INFO);
  }

  /** Dead-letters a frame whose output is too large to write, keeping {@code keep} bytes of it. */
  private void deadLetterTooLarge(
      Record<byte[], byte[]> r, RecordMetadata meta, String reason, int keep) {
    DeadLetter dl =
        OversizedRecords.deadLetter(
            meta.topic(),
            meta.partition(),
            meta.offset(),
            r.key(),
            r.value(),
            new RecordTooLargeException(reason),
            reason,
            keep);
    context.forward(
        new Record<Object, Object>(r.key(), dl, r.timestamp(), SamplerRecords.source(meta)),
        SamplerTopology.DLQ_SINK);
  }

  private void deadLetter(Record<byte[], byte[]> r, RecordMetadata meta, RuntimeException e) {
    DeadLetter dl =
        OversizedRecords.deadLetter(
            meta.topic(),
            meta.partition(),
            meta.offset(),
            r.key(),
            r.value(),
            e,
            e.getMessage(),
            Integer.MAX_VALUE);
    context.forward(
        new Record<Object, Object>(r.key(), dl, r.timestamp(), SamplerRecords.source(meta)),
        SamplerTopology.DLQ_SINK);
  }
}
