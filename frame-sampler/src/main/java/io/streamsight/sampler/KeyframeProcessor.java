package io.streamsight.sampler;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.codec.RecordDecodeException;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.CameraIds;
import io.streamsight.schemas.validation.InvalidRecordException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reads raw Frame bytes, decides with {@link KeyframeDecider}, keeps per-camera state in the store,
 * and forwards keyframes (fully decoded only then) to {@link SamplerTopology#KEYFRAMES_SINK} and
 * undecodable records or frames with an invalid camera id ({@link CameraIds}), with the reason, to
 * {@link SamplerTopology#DLQ_SINK}.
 */
final class KeyframeProcessor implements Processor<byte[], byte[], Object, Object> {
  private final SamplerConfig config;
  private final FrameHeaderDecoder headers = new FrameHeaderDecoder();
  private final AvroCodec<Frame> frames = AvroCodec.of(Frame.class);
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, byte[]> store;

  /**
   * The largest frame whose keyframe fits the keyframes topic: a keyframe is its frame plus a
   * reason, a score and source coordinates (well under 1 KiB more).
   */
  static final int KEYFRAME_ROOM = Topics.KEYFRAMES.maxMessageBytes() - 1024;

  KeyframeProcessor(SamplerConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.store = context.getStateStore(SamplerTopology.STATE_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    if (OversizedRecords.wasDeadLettered(
        OversizedRecords.key(
            context.applicationId(), meta.topic(), meta.partition(), meta.offset()))) {
      return; // its output was too large to write and went to the dead-letter topic instead
    }
    FrameHeader header;
    try {
      header = headers.decode(meta.topic(), meta.partition(), meta.offset(), record.value());
    } catch (RecordDecodeException e) {
      deadLetter(record, meta, e);
      return;
    }
    String idProblem = CameraIds.problem(header.cameraId());
    if (idProblem != null) {
      // The id would become a state-store key and the keyframe's key: refuse it here, with why.
      deadLetter(record, meta, new InvalidRecordException("cameraId", idProblem));
      return;
    }
    byte[] stateBytes = store.get(header.cameraId());
    SamplerState state = stateBytes == null ? null : SamplerState.fromBytes(stateBytes);
    KeyframeDecider.Decision d =
        KeyframeDecider.decide(state, header, config.forCamera(header.cameraId()));
    if (d.emit() && record.value().length > KEYFRAME_ROOM) {
      // The keyframe would be larger than its topic takes: its write would fail on every retry.
      // Dead-letter the frame (truncated to fit) and leave the state as it was.
      context.forward(
          new Record<Object, Object>(
              record.key(),
              OversizedRecords.deadLetter(
                  meta.topic(),
                  meta.partition(),
                  meta.offset(),
                  record.key(),
                  record.value(),
                  new RecordTooLargeException("keyframe too large"),
                  "frame of "
                      + record.value().length
                      + " bytes is too large for a keyframe on "
                      + Topics.KEYFRAMES.name()
                      + " (max.message.bytes "
                      + Topics.KEYFRAMES.maxMessageBytes()
                      + ")",
                  Topics.DLQ_MAX_ORIGINAL_BYTES),
              record.timestamp()),
          SamplerTopology.DLQ_SINK);
      return;
    }
    if (d.emit()) {
      // Only keyframes pay for the full decode (and the one copy of the JPEG it makes).
      Frame f;
      try {
        f = frames.decode(meta.topic(), meta.partition(), meta.offset(), record.value());
      } catch (RecordDecodeException e) {
        // State is left as it was: a frame we cannot forward must not become the reference.
        deadLetter(record, meta, e);
        return;
      }
      // The keyframe keeps the frame record's timestamp, not the capture time: topic retention
      // is by record timestamp, and a file source replayed with an old start time would
      // otherwise have its keyframes deleted as soon as they are written. Event time travels in
      // the payload (captureTimeMicros).
      context.forward(
          new Record<Object, Object>(header.cameraId(), toKeyframe(f, d, meta), record.timestamp()),
          SamplerTopology.KEYFRAMES_SINK);
    }
    if (d.next() != state) {
      store.put(header.cameraId(), d.next().toBytes());
    }
  }

  private static Keyframe toKeyframe(Frame f, KeyframeDecider.Decision d, RecordMetadata meta) {
    return Keyframe.newBuilder()
        .setCameraId(f.getCameraId())
        .setIngestSessionId(f.getIngestSessionId())
        .setSequence(f.getSequence())
        .setCaptureTimeMicros(f.getCaptureTimeMicros())
        .setPtsMicros(f.getPtsMicros())
        .setWidth(f.getWidth())
        .setHeight(f.getHeight())
        .setJpeg(f.getJpeg())
        .setFeatures(f.getFeatures())
        .setReason(d.reason())
        .setNoveltyScore((float) d.novelty())
        .setSourcePartition(meta.partition())
        .setSourceOffset(meta.offset())
        .build();
  }

  private void deadLetter(Record<byte[], byte[]> r, RecordMetadata meta, RuntimeException e) {
    DeadLetter dl =
        DeadLetter.newBuilder()
            .setStage("frame-sampler")
            .setTopic(meta.topic())
            .setPartition(meta.partition())
            .setOffset(meta.offset())
            .setOriginalKey(r.key() == null ? null : ByteBuffer.wrap(r.key()))
            .setOriginalValue(r.value() == null ? null : ByteBuffer.wrap(r.value()))
            .setErrorClass(e.getClass().getName())
            .setErrorMessage(e.getMessage())
            .setTimeMicros(System.currentTimeMillis() * 1000)
            .build();
    context.forward(
        new Record<Object, Object>(r.key(), dl, r.timestamp()), SamplerTopology.DLQ_SINK);
  }
}
