package io.streamsight.vlm.operator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.config.ModelDeclaration;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.TaskModels;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.inference.BudgetedModelProvider;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.Models;
import io.streamsight.vlm.operator.inference.RemoteModelProvider;
import io.streamsight.vlm.operator.io.CollectingSink;
import io.streamsight.vlm.operator.io.KeyframeDeserializer;
import io.streamsight.vlm.operator.io.OperatorIo;
import io.streamsight.vlm.operator.io.QueryDeserializer;
import io.streamsight.vlm.operator.io.ReplayedTopicSource;
import io.streamsight.vlm.operator.io.RuleDeserializer;
import io.streamsight.vlm.operator.io.TopicNames;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models declared by name become the job's providers, and a server's API key never travels with the
 * job: the job graph (which Flink's REST API shows, and which is shipped to every TaskManager)
 * holds where the key is, not the key.
 */
@Timeout(60)
class ModelKeysTest {
  private static final String KEY = "sk-test-9f3Kq7Zx-do-not-ship";
  @TempDir Path tmp;

  private OperatorConfig config(Path keyFile) {
    RemoteModelConfig server =
        new RemoteModelConfig(
            "https://api.example.test/v1",
            "vision-large",
            keyFile.toString(),
            null,
            8,
            Duration.ofSeconds(30),
            3,
            Duration.ofSeconds(10),
            8,
            1024,
            5,
            Duration.ofSeconds(30));
    List<String> remote = List.of("remote");
    return OperatorConfig.defaults()
        .withModels(
            Map.of("remote", ModelDeclaration.of(server).withTokensPerHour(100_000L)),
            new TaskModels(remote, null, remote, remote, remote));
  }

  @Test
  void theJobGraphHoldsWhereTheKeyIsNeverTheKey() throws Exception {
    Path keyFile = tmp.resolve("vlm-key");
    Files.writeString(keyFile, KEY + "\n");
    OperatorConfig config = config(keyFile);
    Models models = Models.of(config, new EngineModelProvider(tmp.resolve("local").toString()));
    assertInstanceOf(BudgetedModelProvider.class, models.provider("remote"));
    assertInstanceOf(
        RemoteModelProvider.class, ((BudgetedModelProvider) models.provider("remote")).inner());

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    new VlmOperatorJob(config, models, io()).build(env);
    String graph =
        new String(
            InstantiationUtil.serializeObject(env.getStreamGraph().getJobGraph()),
            StandardCharsets.ISO_8859_1);

    assertTrue(graph.contains(keyFile.toString()), "the test looks where the providers are");
    assertFalse(graph.contains(KEY), "the key itself is not in the job graph");
    assertFalse(
        new String(InstantiationUtil.serializeObject(models), StandardCharsets.ISO_8859_1)
            .contains(KEY));
    assertFalse(models.provider("remote").toString().contains(KEY));
  }

  @Test
  void aTaskLeftOnTheDefaultModelNeedsDashDashModel() throws Exception {
    OperatorConfig config = config(tmp.resolve("k"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Models.of(config, null));
    assertTrue(
        e.getMessage().startsWith("tasks.rules: uses the model `default`")
            && e.getMessage().contains("no --model was given; models: remote"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Models.of(
                    OperatorConfig.defaults()
                        .withModels(
                            Map.of(
                                "default",
                                ModelDeclaration.of(RemoteModelConfig.of("http://h:1/v1", "m"))),
                            TaskModels.INHERIT),
                    new EngineModelProvider("/m")));
    assertTrue(e.getMessage().startsWith("models.default:"), e.getMessage());
  }

  private static OperatorIo io() {
    TopicNames t = TopicNames.standard();
    return new OperatorIo(
        ReplayedTopicSource.of(t.keyframes(), new KeyframeDeserializer()).build(Duration.ZERO),
        ReplayedTopicSource.of(t.rules(), new RuleDeserializer()).build(Duration.ZERO),
        ReplayedTopicSource.of(t.queries(), new QueryDeserializer()).build(Duration.ZERO),
        CollectingSink.<Summary>create("summaries"),
        CollectingSink.<Alert>create("alerts"),
        CollectingSink.<Answer>create("answers"),
        CollectingSink.<DeadLetter>create("dead-letters"),
        CollectingSink.<Digest>create("digests"),
        FrameFetcher.none());
  }
}
