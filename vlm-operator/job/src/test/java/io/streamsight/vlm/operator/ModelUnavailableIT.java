package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.ColourKeyframes.keyframe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.ModelProvider;
import io.streamsight.vlm.operator.inference.Models;
import io.streamsight.vlm.operator.inference.ScriptedModelProvider;
import io.streamsight.vlm.operator.io.CollectingSink;
import io.streamsight.vlm.operator.io.KeyframeDeserializer;
import io.streamsight.vlm.operator.io.OperatorIo;
import io.streamsight.vlm.operator.io.QueryDeserializer;
import io.streamsight.vlm.operator.io.ReplayedTopicSource;
import io.streamsight.vlm.operator.io.RuleDeserializer;
import io.streamsight.vlm.operator.io.TopicNames;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model server that is down is not a broken job: the whole {@link VlmOperatorJob} on a
 * MiniCluster (restarts off, so a failure fails the test) whose summary model refuses its first two
 * windows with {@link ModelUnavailableException}, as a dead server's client or an open circuit
 * does, and whose rule verifier is down throughout. The job runs to its end; the two windows are
 * shed and counted in the next summary; the verified rule does not alert (shed), the plain one
 * does.
 */
class ModelUnavailableIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final TopicNames TOPICS = TopicNames.standard();
  private static final long T0 = ColourKeyframes.T0_MICROS;
  private static final String CAMERA = "cam-1";

  /** How many describe batches the model refused so far (the MiniCluster shares this JVM). */
  static final AtomicInteger REFUSED = new AtomicInteger();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .setConfiguration(noRestarts())
              .build());

  @TempDir Path tmp;

  private static Configuration noRestarts() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    return conf;
  }

  /** The fixture model, except that its first {@code refusals} describe batches find it down. */
  record DownAtFirst(ModelProvider inner, int refusals) implements ModelProvider {
    @Override
    public String key() {
      return inner.key() + "#down-at-first";
    }

    @Override
    public VisionLanguageModel open() {
      VisionLanguageModel model = inner.open();
      return new VisionLanguageModel() {
        @Override
        public String modelId() {
          return model.modelId();
        }

        @Override
        public List<VlmResult> run(List<VlmRequest> requests) {
          boolean describes = requests.stream().anyMatch(r -> r.task() == Task.DESCRIBE);
          if (describes && REFUSED.get() < refusals) {
            REFUSED.incrementAndGet();
            throw new ModelUnavailableException(modelId(), "circuit open (test double)");
          }
          return model.run(requests);
        }

        @Override
        public void close() {
          model.close();
        }
      };
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aDeadServerShedsCountedWorkAndTheJobRunsOn() throws Exception {
    REFUSED.set(0);
    var fixture = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
    Models models =
        Models.named(
            Map.of(
                "default",
                new DownAtFirst(fixture, 2),
                "checker",
                ScriptedModelProvider.unavailable("checker-" + System.nanoTime())));
    CollectingSink<Summary> summaries = CollectingSink.create("summaries");
    CollectingSink<Alert> alerts = CollectingSink.create("alerts");
    CollectingSink<DeadLetter> dead = CollectingSink.create("dead-letters");
    OperatorIo io =
        new OperatorIo(
            keyframes(),
            rules(),
            ReplayedTopicSource.of(TOPICS.queries(), new QueryDeserializer()).build(WAIT),
            summaries,
            alerts,
            CollectingSink.<Answer>create("answers"),
            dead,
            CollectingSink.<Digest>create("digests"),
            FrameFetcher.none());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    new VlmOperatorJob(VlmOperatorIT.config(), models, io).build(env);

    env.execute("model-unavailable-it"); // fails the test if the job fails

    List<Summary> s =
        summaries.collected().stream()
            .sorted(Comparator.comparingLong(Summary::getWindowStartMicros))
            .toList();
    assertEquals(
        List.of(4000L, 6000L),
        s.stream().map(x -> (x.getWindowStartMicros() - T0) / 1000).toList(),
        "the first two windows were shed: " + s);
    assertEquals(2, s.get(0).getWindowsShedBefore(), "and counted in the next summary");
    assertEquals(0, s.get(1).getWindowsShedBefore());
    assertEquals(
        List.of("plain"),
        alerts.collected().stream().map(Alert::getRuleId).distinct().toList(),
        "the rule whose verifier is down does not alert; the plain one does");
    assertEquals(List.of(), dead.collected(), "nothing dead-lettered");
  }

  /**
   * Red for 4 s, then blue. Each of the first two windows closes, and is refused, before the next
   * keyframes come: the refusals land on exactly those windows.
   */
  private ReplayedTopicSource<io.streamsight.vlm.operator.types.KeyframeIn> keyframes() {
    var k = ReplayedTopicSource.of(TOPICS.keyframes(), new KeyframeDeserializer());
    for (long t = 0; t < 8000; t += 500) {
      if (t == 3000 || t == 5000) {
        int n = t == 3000 ? 1 : 2;
        k.waitUntil("window " + n + " refused", () -> REFUSED.get() >= n);
      }
      k.record(CAMERA, encode(keyframe(CAMERA, t, t < 4000 ? Color.RED : Color.BLUE)));
    }
    k.record(CAMERA, encode(Progress.of(CAMERA, "s1", -1, T0 + 10_000_000, -1, -1)));
    return k.build(WAIT);
  }

  private ReplayedTopicSource<io.streamsight.vlm.operator.types.RuleChange> rules() {
    return ReplayedTopicSource.of(TOPICS.rules(), new RuleDeserializer())
        .record("plain", encode(rule("plain", null)))
        .record("checked", encode(rule("checked", "checker")))
        .build(WAIT);
  }

  private static AlertRule rule(String id, String verifier) {
    return AlertRule.newBuilder()
        .setId(id)
        .setCameraGlob("cam-*")
        .setQuestion("Is the scene blue?")
        .setThreshold(0.5)
        .setCooldownMicros(Duration.ofMinutes(1).toNanos() / 1000)
        .setSeverity(Severity.HIGH)
        .setVerifyWith(verifier)
        .build();
  }

  @SuppressWarnings("unchecked")
  private static <T extends org.apache.avro.specific.SpecificRecord> byte[] encode(T record) {
    return AvroCodec.of((Class<T>) record.getClass()).encode(record);
  }
}
