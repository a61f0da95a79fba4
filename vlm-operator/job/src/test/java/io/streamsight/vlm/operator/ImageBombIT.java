package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.ColourKeyframes.keyframe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.records.FrameRecords;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import io.streamsight.vlm.preprocess.ImageSizeMismatchException;
import io.streamsight.vlm.preprocess.ImageTooLargeException;
import java.awt.Color;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile keyframes against the operator on a MiniCluster and the real broker: a 1 KB JPEG
 * declaring 30000x30000 px and a JPEG far smaller than its record says are dead-lettered with
 * reasons naming the sizes, and a good camera's summaries still arrive.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(240)
class ImageBombIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void bombAndMislabelledKeyframesAreDeadLetteredWhileAGoodCameraIsSummarised(
      KafkaBroker broker, @TempDir Path tmp) throws Exception {
    var model = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
    try (OperatorScenario s = new OperatorScenario(broker, ".bomb")) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
      var io =
          KafkaOperatorIo.create(
              broker.bootstrapServers(),
              "it-bomb",
              VlmOperatorIT.config().checkpointInterval(),
              s.topics);
      JobClient job = new VlmOperatorJob(VlmOperatorIT.config(), model, io).start(env, "it-bomb");
      try {
        byte[] bomb = ColourKeyframes.jpegDeclaring(30000, 30000);
        assertTrue(bomb.length < 1024, bomb.length + " bytes");
        s.keyframe(withJpeg(keyframe("cam-bomb", 0, Color.RED), bomb, 640, 360));
        // A real 64x64 JPEG whose record claims 1280x720.
        s.keyframe(
            withJpeg(
                keyframe("cam-liar", 0, Color.RED),
                FrameRecords.solidJpeg(Color.RED, 64, 64),
                1280,
                720));
        for (long t = 0; t < 5000; t += 500) {
          s.keyframe(keyframe("cam-good", t, Color.BLUE));
        }

        List<DeadLetter> dead =
            Await.until("two dead letters", WAIT, s::deadLetters, l -> l.size() >= 2);
        DeadLetter tooLarge = find(dead, ImageTooLargeException.class);
        assertTrue(
            tooLarge.getErrorMessage().contains("30000x30000 px"), tooLarge.getErrorMessage());
        assertEquals(s.topics.keyframes(), tooLarge.getTopic());
        DeadLetter liar = find(dead, ImageSizeMismatchException.class);
        assertTrue(liar.getErrorMessage().contains("64x64 px"), liar.getErrorMessage());
        assertTrue(liar.getErrorMessage().contains("1280x720 px"), liar.getErrorMessage());

        List<Summary> summaries =
            Await.until(
                "a summary of the good camera",
                WAIT,
                s::summaries,
                l -> l.stream().anyMatch(x -> x.getCameraId().equals("cam-good")));
        assertTrue(
            summaries.stream().allMatch(x -> x.getCameraId().equals("cam-good")),
            "no summary of the rejected cameras: " + summaries);
        assertTrue(summaries.get(0).getText().contains("blue"), summaries.get(0).getText());
      } finally {
        job.cancel().get();
      }
    }
  }

  private static Keyframe withJpeg(Keyframe k, byte[] jpeg, int width, int height) {
    return Keyframe.newBuilder(k)
        .setJpeg(ByteBuffer.wrap(jpeg))
        .setWidth(width)
        .setHeight(height)
        .build();
  }

  private static DeadLetter find(List<DeadLetter> dead, Class<?> error) {
    return dead.stream()
        .filter(d -> d.getErrorClass().equals(error.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + error.getSimpleName() + " in " + dead));
  }
}
