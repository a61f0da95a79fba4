package io.streamsight.deploy.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.console.ConsoleServing;
import io.streamsight.ingest.config.CamerasFile;
import io.streamsight.sampler.SamplerFile;
import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.config.ConfigDocs;
import io.streamsight.schemas.config.ConfigDocs.Section;
import io.streamsight.vlm.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/configuration.md is generated from the {@code @ConfigDoc} annotations of the three config
 * files' records; this test fails when the committed file differs, and rewrites it when run with
 * {@code -Dstreamsight.writeDocs=true}.
 */
@Timeout(60)
class ConfigurationDocTest {
  static final Path DOC = Path.of("..", "..", "docs", "configuration.md");
  static final String REGENERATE =
      "mvn -B -pl deploy/cli -am test -Dtest=ConfigurationDocTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dstreamsight.writeDocs=true";

  static final String INTRO =
      """
      <!-- Generated from the @ConfigDoc annotations by ConfigurationDocTest (deploy/cli); do not
           edit by hand. Regenerate: %s -->

      Three YAML files configure the stages, and one binder (`io.streamsight.schemas.config`) reads
      all three the same way:

      - keys are camelCase, and sections are nested mappings (`window: {size: 5s}`), never dotted
        keys;
      - every key may be left out unless it is marked required; a missing key gets the default
        listed here (an empty file means all defaults);
      - a duration is `0` or a whole number with `ms`, `s`, `m` or `h`: `500ms`, `10s`, `5m`, `1h`;
      - values are never converted between types: text where a number is wanted (`fps: "5"`), or a
        number where text is wanted (`applicationId: 123`), is an error;
      - an unknown key, a value of the wrong type or out of range stops the stage at start with one
        line naming the file, the key path, the value and what is allowed, e.g.
        `cameras.yaml: cameras[2].maxEdge: got 4; allowed: an integer in 16..8192 (cameras[2] is id 'door')`.

      Each key below is declared once, with its type, default and meaning, on the record the file
      binds to (`OperatorConfig`, `SamplerFile`, `CamerasFile`; the console's `ConsoleServing`).
      """
          .formatted(REGENERATE);

  static final List<Section> SECTIONS =
      List.of(
          new Section(
              "operator.yaml",
              OperatorConfig.class,
              "Read by `streamsight operator --config operator.yaml`: the VLM operator job's"
                  + " windows, K, instructions and batching. Without `--config` every key has its"
                  + " default.",
              """
              window: {size: 10s, maxFrames: 8}
              summary:
                instruction: Describe what happens in these frames in one sentence.
              cameras:
                - match: door
                  instruction: Is the door open or closed? Answer in one sentence.
                - match: dock-*
                  instruction: Describe vehicles and people at the loading dock.
                  maxNewTokens: 64
                  windowSize: 20s
                - match: lobby-*
                  tasks: {summaries: [local], questions: [local], pastQuestions: [local]}
              digests: {periods: [5m, 1h]}
              inference: {maxBatch: 16, sheddingClock: wall}
              models:
                local:
                  engine: {dir: /models/SmolVLM-256M-Instruct, variant: fp32}
                big:
                  server:
                    baseUrl: http://gpu-box:8000/v1
                    model: Qwen/Qwen2.5-VL-7B-Instruct
                    apiKeyFile: /run/secrets/vlm-api-key
                  tokensPerHour: 2000000
              tasks:
                summaries: [big, local]
                rules: [local]
                questions: [big, local]
                pastQuestions: [big, local]
                narratives: [local]
              """),
          new Section(
              "sampler.yaml",
              SamplerFile.class,
              "Read by `streamsight sampler --config sampler.yaml`: the keyframe rules, for all"
                  + " cameras and per camera. `--application-id` on the command line overrides"
                  + " `applicationId`.",
              """
              noveltyThreshold: 0.25
              maxGap: 30s
              cameras:
                lobby:
                  minGap: 500ms
                  ignore:        # a clock overlay in the top row
                    - "xxxxxxxx"
                    - "........"
                    - "........"
                    - "........"
                    - "........"
                    - "........"
                    - "........"
                    - "........"
              """),
          new Section(
              "cameras.yaml",
              CamerasFile.class,
              "Read by `streamsight ingest --config cameras.yaml`: the cameras of one ingest"
                  + " process. [ingest/cameras.example.yaml](../ingest/cameras.example.yaml) is a"
                  + " commented example; `deploy/k8s/cameras-configmap.yaml` holds one for"
                  + " Kubernetes.",
              """
              defaults: {fps: 5, maxEdge: 1024}
              cameras:
                - id: lobby
                  uri: rtsp://user:password@192.168.1.20:554/stream1
                - id: replay
                  uri: /data/recordings/2026-11-26.mp4
                  fps: 2
                  realtime: true
              """),
          new Section(
              "console.yaml",
              ConsoleServing.class,
              "Read by `streamsight console --config console.yaml`: how the console serves"
                  + " whoever reaches its port (deadlines, connection and queue limits, the bytes"
                  + " its live view keeps) and the host names it answers to; `--host-name` adds"
                  + " to `hostNames`. See docs/security.md.",
              """
              hostNames: [console.example.lan]
              maxConnectionsPerClient: 32
              liveStateBytes: 33554432
              """));

  static String generated() {
    return ConfigDocs.render("Configuration", INTRO, SECTIONS);
  }

  @Test
  void theCommittedDocIsTheGeneratedOne() throws IOException {
    String want = generated();
    if (Boolean.getBoolean("streamsight.writeDocs")) {
      Files.writeString(DOC, want);
    }
    String have = Files.exists(DOC) ? Files.readString(DOC) : "";
    assertEquals(
        want,
        have,
        "docs/configuration.md differs from what the @ConfigDoc annotations say; regenerate it"
            + " (from the repository root) with: "
            + REGENERATE);
  }

  @Test
  void theExamplesInTheDocBind() {
    String operator = SECTIONS.get(0).example();
    assertTrue(
        ConfigBinder.load("operator.yaml", operator, OperatorConfig.class, c -> c)
            .instructionFor("door")
            .startsWith("Is the door open"));
    var sampler =
        ConfigBinder.load(
            "sampler.yaml", SECTIONS.get(1).example(), SamplerFile.class, SamplerFile::toConfig);
    assertEquals(0xffL, sampler.forCamera("lobby").ignoredCells());
    var cameras =
        ConfigBinder.load(
            "cameras.yaml", SECTIONS.get(2).example(), CamerasFile.class, CamerasFile::toConfig);
    assertEquals(2, cameras.cameras().size());
    var console =
        ConfigBinder.load("console.yaml", SECTIONS.get(3).example(), ConsoleServing.class, c -> c);
    assertEquals(List.of("console.example.lan"), console.hostNames());
  }
}
