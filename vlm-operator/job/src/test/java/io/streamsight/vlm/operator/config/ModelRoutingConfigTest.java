package io.streamsight.vlm.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.config.ConfigException;
import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.runtime.ExecutionProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code models:}, {@code tasks:} and {@code cameras[].tasks:} as operator.yaml binds them. */
@Timeout(30)
class ModelRoutingConfigTest {
  @TempDir Path dir;

  private static final String MODELS =
      """
      models:
        local-small:
          engine: {dir: /models/smolvlm-256m, variant: q4, provider: cpu}
        remote-big:
          server:
            baseUrl: http://gpu-box:8000/v1
            model: Qwen/Qwen2.5-VL-7B-Instruct
            apiKeyFile: /run/secrets/vlm-key
            maxConcurrent: 4
          tokensPerHour: 2000000
      """;

  private OperatorConfig load(String yaml) throws Exception {
    Path f = dir.resolve("operator.yaml");
    Files.writeString(f, yaml);
    return OperatorConfig.load(f);
  }

  private ConfigException error(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml));
  }

  @Test
  void withoutModelsEveryTaskUsesTheModelGivenWithDashDashModel() throws Exception {
    OperatorConfig c = load("cameras: [{match: 'lobby-*', instruction: 'Who is here?'}]\n");
    for (ModelTask t : ModelTask.values()) {
      assertEquals(List.of("default"), c.modelsFor(t, "lobby-1"), t.key());
      assertEquals(Set.of("default"), c.modelsFor(t), t.key());
    }
    assertEquals(Set.of("default"), c.modelNames());
    assertEquals(OperatorConfig.defaults(), load(""), "the defaults are unchanged");
    assertTrue(OperatorConfig.defaults().models().isEmpty());
  }

  @Test
  void bindsInProcessAndServerModelsWithTheirDefaults() throws Exception {
    OperatorConfig c = load(MODELS);
    ModelDeclaration local = c.models().get("local-small");
    assertNull(local.server());
    assertEquals("/models/smolvlm-256m", local.engine().dir());
    assertEquals(ModelVariant.Q4, local.engine().variant());
    assertEquals(ExecutionProvider.CPU, local.engine().provider());
    assertTrue(local.engine().tensorRtFp16());
    assertNull(local.tokensPerHour());
    ModelDeclaration big = c.models().get("remote-big");
    assertNull(big.engine());
    assertEquals("http://gpu-box:8000/v1", big.server().baseUrl());
    assertEquals("/run/secrets/vlm-key", big.server().apiKeyFile());
    assertEquals(4, big.server().maxConcurrent());
    assertEquals(Duration.ofSeconds(30), big.server().timeout(), "its own defaults");
    assertEquals(2_000_000L, big.tokensPerHour());
    assertEquals(List.of("local-small", "remote-big"), List.copyOf(c.models().keySet()));
  }

  @Test
  void routesEachTaskPerCameraAndKeepsALobbyLocal() throws Exception {
    OperatorConfig c =
        load(
            MODELS
                + """
                tasks:
                  summaries: [remote-big, local-small]
                  rules: [local-small]
                  questions: [remote-big]
                cameras:
                  - match: 'lobby-*'
                    tasks:
                      summaries: [local-small]
                      questions: [local-small]
                      pastQuestions: [local-small]
                      narratives: [local-small]
                  - {match: 'dock-*', windowSize: 20s}
                """);
    assertEquals(List.of("remote-big", "local-small"), c.modelsFor(ModelTask.SUMMARIES, "yard"));
    assertEquals(List.of("local-small"), c.modelsFor(ModelTask.RULES, "yard"));
    assertEquals(List.of("remote-big"), c.modelsFor(ModelTask.QUESTIONS, "yard"));
    assertEquals(List.of("default"), c.modelsFor(ModelTask.NARRATIVES, "yard"), "not named");
    for (ModelTask t : ModelTask.values()) {
      assertEquals(List.of("local-small"), c.modelsFor(t, "lobby-2"), "the lobby: " + t.key());
    }
    assertEquals(
        List.of("remote-big", "local-small"),
        c.modelsFor(ModelTask.SUMMARIES, "dock-1"),
        "an override without tasks keeps the top-level ones");
    assertEquals(Set.of("remote-big", "local-small"), c.modelsFor(ModelTask.QUESTIONS));
  }

  @Test
  void anUnknownModelNameFailsNamingTheKeyAndTheModelsThereAre() {
    ConfigException e = error(MODELS + "tasks: {summaries: [remote-big, gpt-5]}\n");
    assertEquals("tasks.summaries[1]", e.path());
    assertTrue(
        e.getMessage().contains("got 'gpt-5'")
            && e.getMessage().contains("default, local-small, remote-big"),
        e.getMessage());
    e = error(MODELS + "cameras: [{match: 'lobby-*', tasks: {rules: [cloud]}}]\n");
    assertEquals("cameras[0].tasks.rules[0]", e.path());
    assertEquals("tasks.rules", error(MODELS + "tasks: {rules: []}\n").path());
    assertEquals(
        "tasks.rules[1]", error(MODELS + "tasks: {rules: [local-small, local-small]}\n").path());
  }

  @Test
  void aModelIsEitherInProcessOrAServerAndABudgetIsPositive() {
    ConfigException e = error("models: {x: {tokensPerHour: 5}}\n");
    assertEquals("models.x.engine", e.path());
    assertTrue(e.getMessage().contains("exactly one of `engine`"), e.getMessage());
    e = error("models: {x: {engine: {dir: /m}, server: {baseUrl: 'http://h:1/v1'}}}\n");
    assertEquals("models.x.server", e.path());
    assertEquals(
        "models.x.tokensPerHour",
        error("models: {x: {engine: {dir: /m}, tokensPerHour: 0}}\n").path());
    assertEquals("models.x.server.baseUrl", error("models: {x: {server: {model: m}}}\n").path());
    assertEquals(
        "models.x.engine.variant",
        error("models: {x: {engine: {dir: /m, variant: fp8}}}\n").path());
  }

  @Test
  void travelsToFlinkAsJavaSerialization() throws Exception {
    OperatorConfig c = load(MODELS + "tasks: {summaries: [remote-big]}\n");
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (var in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(c, in.readObject());
    }
  }
}
