package io.streamsight.ingest.frame;

import io.streamsight.ingest.features.FeatureExtractor;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * One camera's path from decoded picture to {@link Frame} record: sample by timestamp, downscale,
 * JPEG-encode, compute features. Independent of where frames come from or go to, so tests and
 * benchmarks reuse it without Kafka (see {@link io.streamsight.ingest.source.VideoFrames}).
 *
 * <p>Not thread-safe: one per camera, driven by its decoder thread.
 */
public final class FramePipeline implements AutoCloseable {
  private final String cameraId;
  private final PipelineSettings settings;
  private final FrameRateGate rateGate;
  private final FrameScaler scaler = new FrameScaler();
  private final JpegEncoder jpeg;
  private String sessionId;
  private long sequence;

  public FramePipeline(String cameraId, String sessionId, PipelineSettings settings) {
    this.cameraId = cameraId;
    this.sessionId = sessionId;
    this.settings = settings;
    this.rateGate = new FrameRateGate(settings.intervalMicros());
    this.jpeg = JpegEncoders.open(settings.jpegEncoder(), settings.jpegQuality());
  }

  /** Whether the picture at {@code ptsMicros} will be kept (call once per decoded picture). */
  public boolean sample(long ptsMicros) {
    return rateGate.keep(ptsMicros);
  }

  /** Microseconds until the next frame is due, for decode-skipping decisions. */
  public long untilDueMicros() {
    return rateGate.untilDueMicros();
  }

  /** Builds the record for a kept picture. */
  public Frame toFrame(AVFrame picture, long ptsMicros, long captureTimeMicros) {
    int[] size = settings.outputSize(picture.width(), picture.height());
    scaler.scale(picture, size[0], size[1]);
    AVFrame yuv = scaler.yuv();
    FrameFeatures features =
        FeatureExtractor.fromYuv420(
            plane(yuv, 0, size[1]),
            yuv.linesize(0),
            plane(yuv, 1, size[1] / 2),
            yuv.linesize(1),
            plane(yuv, 2, size[1] / 2),
            yuv.linesize(2),
            size[0],
            size[1]);
    byte[] bytes = jpeg.encode(yuv);
    return Frame.newBuilder()
        .setCameraId(cameraId)
        .setIngestSessionId(sessionId)
        .setSequence(sequence++)
        .setCaptureTimeMicros(captureTimeMicros)
        .setPtsMicros(ptsMicros)
        .setWidth(size[0])
        .setHeight(size[1])
        .setJpeg(ByteBuffer.wrap(bytes))
        .setFeatures(features)
        .build();
  }

  /** A view of one plane of {@code frame}, {@code rows} rows long. */
  private static ByteBuffer plane(AVFrame frame, int index, int rows) {
    return frame.data(index).capacity((long) frame.linesize(index) * rows).asByteBuffer();
  }

  /** A new ingest session (after a reconnect): new id, sequence and sampling schedule restart. */
  public void newSession(String sessionId) {
    this.sessionId = sessionId;
    this.sequence = 0;
    rateGate.reset();
  }

  public String sessionId() {
    return sessionId;
  }

  public PipelineSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    scaler.close();
    jpeg.close();
  }
}
