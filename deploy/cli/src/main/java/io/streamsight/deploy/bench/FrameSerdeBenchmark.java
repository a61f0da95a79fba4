package io.streamsight.deploy.bench;

import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.codec.AvroSerde;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Frame serde throughput (serialize + deserialize one Frame) against the reference: copying the
 * same JPEG payload as a raw {@code byte[]} twice (what any serde must at least do once per
 * direction). Run with {@code streamsight bench serde}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameSerdeBenchmark {
  @Param({"102400"})
  public int jpegBytes;

  private final AvroSerde<Frame> serde = new AvroSerde<>(Frame.class);
  private Frame frame;
  private byte[] payload;
  private byte[] encoded;

  @Setup
  public void setup() {
    payload = new byte[jpegBytes];
    new Random(7).nextBytes(payload);
    frame =
        Frame.newBuilder()
            .setCameraId("cam-bench")
            .setIngestSessionId("session")
            .setSequence(1)
            .setCaptureTimeMicros(1_700_000_000_000_000L)
            .setPtsMicros(0)
            .setWidth(1024)
            .setHeight(576)
            .setJpeg(ByteBuffer.wrap(payload))
            .setFeatures(
                FrameFeatures.newBuilder()
                    .setDhash(42)
                    .setThumbnail(ByteBuffer.wrap(new byte[64]))
                    .setColorHistogram(Collections.nCopies(24, 0.125f))
                    .build())
            .build();
    encoded = serde.serialize("cameras.frames", frame);
  }

  /** Serialize then deserialize one Frame: the per-record cost on the producer and consumer. */
  @Benchmark
  public Frame avroRoundTrip() {
    return serde.deserialize("cameras.frames", serde.serialize("cameras.frames", frame));
  }

  /** Reference: two plain copies of the same payload bytes (one per direction). */
  @Benchmark
  public byte[] rawCopyRoundTrip() {
    byte[] out = new byte[payload.length];
    System.arraycopy(payload, 0, out, 0, payload.length);
    byte[] back = new byte[out.length];
    System.arraycopy(out, 0, back, 0, out.length);
    return back;
  }

  /** Bytes on the wire per Frame, for MB/s figures. */
  public int encodedSize() {
    return encoded.length;
  }
}
