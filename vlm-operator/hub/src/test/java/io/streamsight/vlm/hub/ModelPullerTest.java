package io.streamsight.vlm.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.model.ModelSource;
import io.streamsight.vlm.model.ModelVariant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPullerTest {
  static final String REPO = "HuggingFaceTB/SmolVLM-256M-Instruct";
  static final List<String> CONFIGS =
      List.of(
          "config.json",
          "preprocessor_config.json",
          "processor_config.json",
          "generation_config.json",
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "chat_template.json");

  static final Duration STALL = Duration.ofMillis(500);

  @TempDir Path dir;
  FakeHub hub;
  final List<String> notes = new ArrayList<>();
  final PullListener recorder =
      new PullListener() {
        @Override
        public void note(String message) {
          notes.add(message);
        }
      };
  final Random random = new Random(42);

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub();
    for (String c : CONFIGS) {
      hub.put(REPO, c, ("{\"name\":\"" + c + "\"}").getBytes(StandardCharsets.UTF_8));
    }
    hub.put(REPO, "README.md", "# readme".getBytes(StandardCharsets.UTF_8));
    hub.put(REPO, "model.safetensors", bytes(5000));
    hub.put(REPO, "merges.txt", bytes(2000));
    for (ModelVariant v : List.of(ModelVariant.FP32, ModelVariant.FP16, ModelVariant.Q4)) {
      for (String g : ModelFiles.graphs(v)) {
        hub.put(REPO, g, bytes(g.contains("decoder") ? 300_000 : 40_000));
      }
    }
    hub.put(REPO, "onnx/decoder_model_merged_q4.onnx_data", bytes(120_000));
    hub.put(REPO, "onnx/decoder_model_merged.onnx_data", bytes(120_000));
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  @Test
  void pullsExactlyTheFilesOfTheRequestedVariant() throws IOException {
    ModelPuller.Result r = pull(ModelVariant.Q4);

    Set<String> expected = new TreeSet<>(CONFIGS);
    expected.addAll(
        List.of(
            "onnx/vision_encoder_q4.onnx",
            "onnx/embed_tokens_q4.onnx",
            "onnx/decoder_model_merged_q4.onnx",
            "onnx/decoder_model_merged_q4.onnx_data"));
    assertEquals(expected, filesIn(dir));
    assertEquals(expected, new TreeSet<>(r.fetched()));
    assertTrue(r.verifiedByHub());
    assertContentMatches(expected);
    // recorded for the engine's "fetch the missing variant with ..." message
    assertEquals(Optional.of(new ModelSource(REPO, "main")), ModelSource.of(dir));
  }

  @Test
  void fp32UsesTheUnsuffixedGraphNames() throws IOException {
    pull(ModelVariant.FP32);

    Set<String> onnx =
        filesIn(dir).stream().filter(p -> p.startsWith("onnx/")).collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "onnx/vision_encoder.onnx",
            "onnx/embed_tokens.onnx",
            "onnx/decoder_model_merged.onnx",
            "onnx/decoder_model_merged.onnx_data"),
        onnx);
  }

  @Test
  void resumesWithARangeRequestAfterTheConnectionIsCutMidFile() throws IOException {
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    hub.cutOnce(decoder, 100_000);

    pull(ModelVariant.Q4);

    List<FakeHub.Hit> cdnHits =
        hub.downloadsOf(decoder).stream().filter(h -> h.path().startsWith("/cdn/")).toList();
    assertContentMatches(Set.of(decoder));
    assertEquals(2, cdnHits.size(), "one cut transfer, one resumed transfer: " + cdnHits);
    assertEquals(null, cdnHits.get(0).range());
    assertResumedWithinTheCut(cdnHits.get(1).range(), 100_000);
    assertFalse(Files.exists(dir.resolve(decoder + ".part")));
  }

  @Test
  void aTransferThatStallsIsAbortedAndResumed() throws IOException {
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    hub.stallOnce(decoder, 100_000, Duration.ofSeconds(5));

    pull(ModelVariant.Q4);

    List<FakeHub.Hit> cdnHits =
        hub.downloadsOf(decoder).stream().filter(h -> h.path().startsWith("/cdn/")).toList();
    assertContentMatches(Set.of(decoder));
    assertResumedWithinTheCut(cdnHits.get(cdnHits.size() - 1).range(), 100_000);
    assertTrue(notes.stream().anyMatch(n -> n.contains("stalled")), notes.toString());
  }

  @Test
  void aServerThatIgnoresTheRangeStillYieldsTheRightFile() throws IOException {
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    hub.cutOnce(decoder, 100_000);
    hub.ignoreRangeFor(decoder);

    pull(ModelVariant.Q4);

    assertContentMatches(Set.of(decoder));
  }

  @Test
  void aSha256MismatchDeletesThePartFileAndFailsClearly() {
    String embed = "onnx/embed_tokens_q4.onnx";
    hub.lieAboutSha(embed, "ab".repeat(32));

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.INTEGRITY, e.kind());
    assertTrue(e.getMessage().contains(embed) && e.getMessage().contains("sha256"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(embed)));
    assertFalse(Files.exists(dir.resolve(embed + ".part")));
  }

  @Test
  void skipsFilesAlreadyPresentAndVerified() throws IOException {
    pull(ModelVariant.Q4);
    hub.hits.clear();

    ModelPuller.Result again = pull(ModelVariant.Q4);

    assertEquals(List.of(), hub.fileHits(), "nothing downloaded the second time");
    assertEquals(List.of(), again.fetched());
    assertEquals(12, again.present().size());
  }

  @Test
  void replacesAPresentFileThatDiffersFromTheHubsCopy() throws IOException {
    pull(ModelVariant.Q4);
    String vision = "onnx/vision_encoder_q4.onnx";
    Files.write(dir.resolve(vision), bytes(40_000)); // same size, different content
    hub.hits.clear();

    ModelPuller.Result again = pull(ModelVariant.Q4);

    assertEquals(List.of(vision), again.fetched());
    assertContentMatches(Set.of(vision));
  }

  @Test
  void aMissingRepoIsAClearNotFoundError() {
    PullConfig c = config("nobody/no-such-model", ModelVariant.Q4);

    HubException e = assertThrows(HubException.class, () -> new ModelPuller(c, recorder).pull());

    assertEquals(HubException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("nobody/no-such-model"), e.getMessage());
  }

  @Test
  void aMissingRepoWithoutMetadataApiNamesRepoRevisionAndFile() {
    hub.metadataApi = false;
    PullConfig c = config("nobody/no-such-model", ModelVariant.Q4);

    HubException e = assertThrows(HubException.class, () -> new ModelPuller(c, recorder).pull());

    assertEquals(HubException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("nobody/no-such-model"), e.getMessage());
  }

  @Test
  void aVariantTheRepoLacksNamesTheVariantsItHas() {
    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.INT8));

    assertEquals(HubException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("onnx/vision_encoder_int8.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("fp32, fp16, q4"), e.getMessage());
    assertEquals(List.of(), hub.fileHits(), "fails before downloading anything");
  }

  @Test
  void missingOptionalFilesAreSkippedWithANote() throws IOException {
    FakeHub bare = new FakeHub();
    try (bare) {
      for (String c : ModelFiles.REQUIRED_CONFIG) {
        bare.put("a/b", c, "{}".getBytes(StandardCharsets.UTF_8));
      }
      ModelFiles.graphs(ModelVariant.FP16).forEach(g -> bare.put("a/b", g, bytes(3000)));
      for (boolean api : List.of(true, false)) {
        bare.metadataApi = api;
        Path target = dir.resolve("api-" + api);
        PullConfig c =
            new PullConfig(
                "a/b", "main", ModelVariant.FP16, target, uri(bare), null, 2, Duration.ZERO, STALL);

        ModelPuller.Result r = new ModelPuller(c, recorder).pull();

        assertEquals(7, filesIn(target).size(), "api=" + api + ": " + filesIn(target));
        assertTrue(r.missingOptional().contains("chat_template.jinja"), r.toString());
        assertTrue(
            notes.stream().anyMatch(n -> n.contains("chat_template.json") && n.contains("skipped")),
            notes.toString());
      }
    }
  }

  @Test
  void withoutMetadataFilesAreCheckedAgainstTheServersSizes() throws IOException {
    hub.metadataApi = false;
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    hub.cutOnce(decoder, 50_000);

    ModelPuller.Result r = pull(ModelVariant.Q4);

    assertFalse(r.verifiedByHub());
    assertTrue(filesIn(dir).contains("onnx/decoder_model_merged_q4.onnx_data"));
    assertContentMatches(Set.of(decoder, "onnx/decoder_model_merged_q4.onnx_data"));
    assertTrue(notes.stream().anyMatch(n -> n.contains("no file metadata")), notes.toString());
  }

  @Test
  void transientServerErrorsAreRetried() throws IOException {
    hub.failTransiently("config.json", 2);

    pull(ModelVariant.Q4);

    assertEquals(3, hub.downloadsOf("config.json").size());
    assertContentMatches(Set.of("config.json"));
  }

  @Test
  void persistentServerErrorsFailAfterTheConfiguredAttempts() {
    hub.failTransiently("tokenizer.json", 100);

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.TRANSIENT, e.kind());
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    assertEquals(3, hub.downloadsOf("tokenizer.json").size());
  }

  @Test
  void privateRepoWithoutTokenMentionsHfToken() {
    hub.requiredToken = "hf_secret";

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.AUTH, e.kind());
    assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
  }

  @Test
  void theTokenIsSentAsBearerToTheHubButNotToTheCdn() throws IOException {
    hub.requiredToken = "hf_secret";
    PullConfig c =
        PullConfig.resolve(
                REPO,
                "main",
                ModelVariant.Q4,
                dir,
                null,
                Map.of("HF_ENDPOINT", hub.endpoint(), "HF_TOKEN", "hf_secret"))
            .withRetries(3, Duration.ZERO);

    new ModelPuller(c, recorder).pull();

    assertContentMatches(Set.of("onnx/decoder_model_merged_q4.onnx"));
    for (FakeHub.Hit h : hub.hits) {
      boolean cdn = h.path().startsWith("/cdn/");
      assertEquals(cdn ? null : "Bearer hf_secret", h.authorization(), h.toString());
    }
  }

  private ModelPuller.Result pull(ModelVariant variant) {
    return new ModelPuller(config(REPO, variant), recorder).pull();
  }

  private PullConfig config(String repo, ModelVariant variant) {
    return new PullConfig(repo, "main", variant, dir, uri(hub), null, 3, Duration.ZERO, STALL);
  }

  private static java.net.URI uri(FakeHub h) {
    return java.net.URI.create(h.endpoint());
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private void assertContentMatches(Set<String> paths) throws IOException {
    for (String p : paths) {
      byte[] expected = hubContent(p);
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve(p)), p);
    }
  }

  private byte[] hubContent(String p) throws IOException {
    // Read back through the hub itself so the test does not keep a second copy of the repo.
    try (var in = new java.net.URL(hub.endpoint() + "/cdn/" + REPO + "/-/main/" + p).openStream()) {
      return in.readAllBytes();
    }
  }

  static Set<String> filesIn(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.startsWith(".streamsight-")) // the lock and the source record
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /**
   * The resume starts where the client's part file ends: at most what the server sent before the
   * cut (a TCP reset can discard the last bytes in flight, so not always exactly that), and more
   * than nothing.
   */
  static void assertResumedWithinTheCut(String range, long cut) {
    assertTrue(range != null && range.matches("bytes=\\d+-"), "a Range request: " + range);
    long from = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
    assertTrue(from > 0 && from <= cut, "resumed from " + from + ", cut after " + cut);
  }
}
