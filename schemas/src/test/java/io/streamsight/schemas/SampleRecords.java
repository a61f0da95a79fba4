package io.streamsight.schemas;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.DigestEvent;
import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.avro.FeedbackVerdict;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in instance of every topic record. */
public final class SampleRecords {
  private SampleRecords() {}

  public static FrameFeatures features() {
    return FrameFeatures.newBuilder()
        .setDhash(0x0123456789abcdefL)
        .setThumbnail(ByteBuffer.wrap(new byte[64]))
        .setColorHistogram(Collections.nCopies(24, 1f / 8))
        .build();
  }

  public static Frame frame(byte[] jpeg) {
    return Frame.newBuilder()
        .setCameraId("cam-1")
        .setIngestSessionId("s-1")
        .setSequence(7)
        .setCaptureTimeMicros(1_700_000_000_000_000L)
        .setPtsMicros(233_333)
        .setWidth(640)
        .setHeight(360)
        .setJpeg(ByteBuffer.wrap(jpeg))
        .setFeatures(features())
        .build();
  }

  static KeyframeRef ref() {
    return new KeyframeRef("cameras.keyframes", 0, 42L, 1_700_000_000_000_000L, 7L);
  }

  static InferenceTimings timings() {
    return InferenceTimings.newBuilder().setTotalMillis(12.5).setBatchSize(4).build();
  }

  public static List<SpecificRecord> all() {
    Frame f = frame(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3});
    return List.of(
        f,
        Keyframe.newBuilder()
            .setCameraId("cam-1")
            .setIngestSessionId("s-1")
            .setSequence(7)
            .setCaptureTimeMicros(f.getCaptureTimeMicros())
            .setPtsMicros(0)
            .setWidth(640)
            .setHeight(360)
            .setJpeg(ByteBuffer.wrap(new byte[] {1, 2}))
            .setFeatures(features())
            .setReason(KeyframeReason.SCENE_CHANGE)
            .setNoveltyScore(0.7f)
            .build(),
        CameraStatus.newBuilder()
            .setCameraId("cam-1")
            .setState(CameraState.RECONNECTING)
            .setTimeMicros(1L)
            .setError("connection refused")
            .build(),
        AlertRule.newBuilder()
            .setId("fence")
            .setCameraGlob("cam-*")
            .setQuestion("Is someone climbing the fence?")
            .setSeverity(Severity.HIGH)
            .build(),
        Summary.newBuilder()
            .setCameraId("cam-1")
            .setWindowStartMicros(0)
            .setWindowEndMicros(10_000_000)
            .setKeyframes(List.of(ref()))
            .setText("A red car parks.")
            .setModelId("fixture")
            .setTimings(timings())
            .setPrompt("Describe what happens in these frames in one sentence.")
            .build(),
        Alert.newBuilder()
            .setAlertId("fence/cam-1/0")
            .setRuleId("fence")
            .setCameraId("cam-1")
            .setQuestion("Is someone climbing the fence?")
            .setPYes(0.93)
            .setThreshold(0.5)
            .setSeverity(Severity.HIGH)
            .setWindowStartMicros(0)
            .setWindowEndMicros(10_000_000)
            .setEvidence(List.of(ref()))
            .setModelId("fixture")
            .build(),
        Query.newBuilder()
            .setQueryId("q-1")
            .setCameraId("cam-1")
            .setQuestion("What is happening?")
            .setCreatedMicros(5L)
            .build(),
        Answer.newBuilder()
            .setQueryId("q-1")
            .setCameraId("cam-1")
            .setQuestion("What is happening?")
            .setStatus(AnswerStatus.ANSWERED)
            .setText("Nothing.")
            .build(),
        DeadLetter.newBuilder()
            .setStage("frame-sampler")
            .setTopic("cameras.frames")
            .setPartition(1)
            .setOffset(99)
            .setOriginalValue(ByteBuffer.wrap(new byte[] {9, 9}))
            .setErrorClass("RecordDecodeException")
            .setErrorMessage("bad header")
            .setTimeMicros(3L)
            .build(),
        Digest.newBuilder()
            .setCameraId("cam-1")
            .setPeriodStartMicros(0)
            .setPeriodEndMicros(300_000_000)
            .setEvents(
                List.of(
                    DigestEvent.newBuilder()
                        .setStartMicros(0)
                        .setEndMicros(120_000_000)
                        .setText("A red car parks.")
                        .setKeyframe(ref())
                        .build()))
            .setWindows(30)
            .setAlerts(1)
            .setNarrative("A red car parked.")
            .build(),
        Feedback.newBuilder()
            .setEventId("ev-1")
            .setRuleId("fence")
            .setCameraId("cam-1")
            .setVerdict(FeedbackVerdict.FALSE)
            .setNote("a cat")
            .setPYes(0.81)
            .setCreatedMicros(4L)
            .setAuthor("desk")
            .build());
  }
}
