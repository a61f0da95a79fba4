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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
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
    assertTrue(partFiles().isEmpty(), "no part file left: " + partFiles());
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
  void aSha256MismatchDeletesThePartFileAndFailsClearly() throws IOException {
    String embed = "onnx/embed_tokens_q4.onnx";
    hub.lieAboutSha(embed, "ab".repeat(32));

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.INTEGRITY, e.kind());
    assertTrue(e.getMessage().contains(embed) && e.getMessage().contains("sha256"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(embed)));
    assertTrue(partFiles().isEmpty(), partFiles().toString());
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
                "a/b",
                "main",
                ModelVariant.FP16,
                target,
                uri(bare),
                null,
                2,
                Duration.ZERO,
                STALL,
                true);

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
                Map.of("HF_ENDPOINT", hub.endpoint(), "HF_TOKEN", "hf_secret"),
                true)
            .withRetries(3, Duration.ZERO);

    new ModelPuller(c, recorder).pull();

    assertContentMatches(Set.of("onnx/decoder_model_merged_q4.onnx"));
    for (FakeHub.Hit h : hub.hits) {
      boolean cdn = h.path().startsWith("/cdn/");
      assertEquals(cdn ? null : "Bearer hf_secret", h.authorization(), h.toString());
    }
  }

  @Test
  void smallFilesAreVerifiedByTheirGitBlobId() {
    hub.lieAboutSha("config.json", "ab".repeat(20)); // a 40-hex git blob id that does not match

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.INTEGRITY, e.kind());
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    assertTrue(e.getMessage().contains("git blob sha1"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("config.json")));
  }

  @Test
  void everyFileWithAChecksumIsVerifiedAndTheRestAreNamed() throws IOException {
    hub.withoutChecksum("special_tokens_map.json");

    ModelPuller.Result r = pull(ModelVariant.Q4);

    assertEquals(List.of("special_tokens_map.json"), r.unverified());
    assertTrue(
        notes.stream()
            .anyMatch(n -> n.contains("no checksum") && n.contains("special_tokens_map.json")),
        notes.toString());
  }

  @Test
  void aMirrorWithoutMetadataReportsEveryFileUnverified() throws IOException {
    hub.metadataApi = false;

    ModelPuller.Result r = pull(ModelVariant.Q4);

    assertEquals(new TreeSet<>(r.fetched()), new TreeSet<>(r.unverified()));
    assertTrue(notes.stream().anyMatch(n -> n.contains("no checksum")), notes.toString());
  }

  @Test
  void aPartFileOfAnotherVersionIsNeverResumed() throws IOException {
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    byte[] oldVersion = bytes(300_000);
    Files.createDirectories(dir.resolve("onnx"));
    // What an interrupted pull of an earlier version left: keyed by its sha256, and the old name.
    Path stale = dir.resolve(decoder + "." + FakeHub.sha256(oldVersion).substring(0, 16) + ".part");
    Files.write(stale, java.util.Arrays.copyOf(oldVersion, 100_000));
    Files.write(dir.resolve(decoder + ".part"), java.util.Arrays.copyOf(oldVersion, 50_000));

    pull(ModelVariant.Q4);

    List<FakeHub.Hit> cdn =
        hub.downloadsOf(decoder).stream().filter(h -> h.path().startsWith("/cdn/")).toList();
    assertEquals(1, cdn.size(), cdn.toString());
    assertEquals(null, cdn.get(0).range(), "started from 0, not from the stale part");
    assertContentMatches(Set.of(decoder));
    assertTrue(partFiles().isEmpty(), partFiles().toString());
  }

  @Test
  void withoutChecksumsAResumeIsGuardedByTheEtagItStartedFrom() throws IOException {
    hub.metadataApi = false;
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    Files.createDirectories(dir.resolve("onnx"));
    // A part of an older version of main, with the ETag the server gave for it.
    Path part = dir.resolve(decoder + ".rev-main.part");
    Files.write(part, bytes(100_000));
    Files.writeString(part.resolveSibling(part.getFileName() + ".etag"), "\"old-version\"");

    pull(ModelVariant.Q4);

    FakeHub.Hit resume =
        hub.downloadsOf(decoder).stream()
            .filter(h -> h.path().startsWith("/cdn/"))
            .findFirst()
            .orElseThrow();
    assertEquals("bytes=100000-", resume.range());
    assertEquals("\"old-version\"", resume.ifRange());
    assertContentMatches(Set.of(decoder)); // the server sent the new version whole
  }

  @Test
  void withoutChecksumOrEtagAPartIsStartedOver() throws IOException {
    hub.metadataApi = false;
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    Files.createDirectories(dir.resolve("onnx"));
    Files.write(dir.resolve(decoder + ".rev-main.part"), bytes(100_000));

    pull(ModelVariant.Q4);

    assertTrue(
        hub.downloadsOf(decoder).stream().allMatch(h -> h.range() == null),
        hub.downloadsOf(decoder).toString());
    assertContentMatches(Set.of(decoder));
  }

  @Test
  void aFileLargerThanListedIsRefusedBeforeItIsStored() throws IOException {
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    hub.lieAboutSize(decoder, 200_000); // the server then sends 300,000 bytes

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.INTEGRITY, e.kind());
    assertTrue(e.getMessage().contains("more than the listed 200000"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(decoder)));
    assertTrue(partFiles().stream().noneMatch(p -> p.startsWith(decoder)), partFiles().toString());
  }

  @Test
  void plainHttpIsRefusedUnlessAllowed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PullConfig(
                    REPO, "main", ModelVariant.Q4, dir, uri(hub), null, 3, Duration.ZERO, STALL));
    assertTrue(e.getMessage().startsWith("endpoint:"), e.getMessage());
    assertTrue(e.getMessage().contains("--allow-http"), e.getMessage());
    IllegalArgumentException env =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PullConfig.resolve(
                    REPO,
                    "main",
                    ModelVariant.Q4,
                    dir,
                    null,
                    Map.of("HF_ENDPOINT", hub.endpoint())));
    assertTrue(env.getMessage().contains("--allow-http"), env.getMessage());
    assertEquals(List.of(), hub.hits, "nothing was requested");
  }

  @Test
  void theTokenStaysWithTheEndpointsSchemeHostAndPort() {
    java.net.URI hubUri = java.net.URI.create("https://huggingface.co/a/resolve/main/x");
    assertTrue(HubClient.sameOrigin(hubUri, java.net.URI.create("https://huggingface.co")));
    assertTrue(HubClient.sameOrigin(hubUri, java.net.URI.create("https://huggingface.co:443")));
    assertFalse(HubClient.sameOrigin(hubUri, java.net.URI.create("http://huggingface.co")));
    assertFalse(HubClient.sameOrigin(hubUri, java.net.URI.create("https://cdn-lfs.hf.co")));
    assertFalse(HubClient.sameOrigin(hubUri, java.net.URI.create("https://huggingface.co:8443")));
  }

  @Test
  void theConfigNeverPrintsTheToken() {
    PullConfig c =
        PullConfig.resolve(
            REPO, "main", ModelVariant.Q4, dir, null, Map.of("HF_TOKEN", "hf_very_secret"));
    assertFalse(c.toString().contains("hf_very_secret"), c.toString());
    assertTrue(c.toString().contains("token=(set)"), c.toString());
  }

  @Test
  void aListingPathThatClimbsOutOfTheDirectoryIsRefused() throws IOException {
    // An external-data name the planner accepts by its prefix, climbing out of the target dir.
    String evil = "onnx/decoder_model_merged_q4.onnx_data_1/../../../../x";
    hub.put(REPO, evil, bytes(10));
    // Outside the test's own directory: something else on the machine may own that name already.
    Path outside = dir.resolve(evil).normalize();
    boolean existedBefore = Files.exists(outside);

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
    assertTrue(
        hub.fileHits().stream().noneMatch(h -> h.path().endsWith("/x")), hub.hits.toString());
    assertEquals(existedBefore, Files.exists(outside), "nothing written at " + outside);
  }

  @Test
  void aBadPathLateInTheListingStopsThePullBeforeAnyFileIsFetched() {
    hub.put(REPO, "onnx/decoder_model_merged_q4.onnx_data_9/../../../y", bytes(10));

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("before fetching anything"), e.getMessage());
    assertEquals(List.of(), hub.fileHits(), "no file was requested");
  }

  @Test
  void aSubfolderThatIsASymlinkIsRefusedNotFollowed(@TempDir Path elsewhere) throws IOException {
    Files.createSymbolicLink(dir.resolve("onnx"), elsewhere);

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("onnx in " + dir), e.getMessage());
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertEquals(Set.of(), filesIn(elsewhere), "nothing written through the link");
    assertEquals(List.of(), hub.fileHits(), "no file was requested");
  }

  @Test
  void aFileOfUnknownSizeIsCutOffAtTheConfiguredCap() throws IOException {
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    hub.metadataApi = false; // no listing sizes
    hub.chunked.add(decoder); // and no Content-Length

    HubException e =
        assertThrows(
            HubException.class,
            () ->
                new ModelPuller(config(REPO, ModelVariant.Q4).withMaxFileBytes(100_000), recorder)
                    .pull());

    assertEquals(HubException.Kind.INTEGRITY, e.kind());
    assertTrue(
        e.getMessage().contains("passed 100000 bytes without a stated size"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(decoder)));
    assertTrue(partFiles().stream().noneMatch(p -> p.startsWith(decoder)), partFiles().toString());
    assertEquals(
        PullConfig.DEFAULT_MAX_FILE_BYTES,
        config(REPO, ModelVariant.Q4).maxFileBytes(),
        "generous by default");
    assertTrue(PullConfig.DEFAULT_MAX_FILE_BYTES >= 32L << 30, "fits real VLM weight files");
  }

  @Test
  void aFileOfUnknownSizeUnderTheCapIsStored() throws IOException {
    String decoder = "onnx/decoder_model_merged_q4.onnx";
    hub.metadataApi = false;
    hub.chunked.add(decoder);

    new ModelPuller(config(REPO, ModelVariant.Q4).withMaxFileBytes(400_000), recorder).pull();

    assertContentMatches(Set.of(decoder));
  }

  @Test
  void anOversizedListingIsRefusedUnparsed() {
    hub.listingPadding = HubClient.MAX_LISTING_BYTES + 1;

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.PROTOCOL, e.kind());
    assertTrue(
        e.getMessage().contains("larger than " + HubClient.MAX_LISTING_BYTES), e.getMessage());
    assertEquals(List.of(), hub.fileHits(), "no file was requested");
  }

  @Test
  void aListingThatStallsMidBodyFailsWithinTheTimeout() {
    hub.listingStall = Duration.ofSeconds(5);
    long start = System.nanoTime();

    HubException e = assertThrows(HubException.class, () -> pull(ModelVariant.Q4));

    assertEquals(HubException.Kind.TRANSIENT, e.kind());
    assertTrue(
        e.getMessage().contains("did not arrive within " + STALL.toMillis()), e.getMessage());
    // 3 attempts of one stall timeout each, far below the server's 5 s silence per attempt.
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
        "gave up within the bound");
    assertEquals(List.of(), hub.fileHits(), "no file was requested");
  }

  private List<String> partFiles() throws IOException {
    return filesIn(dir).stream().filter(p -> p.contains(".part")).toList();
  }

  private ModelPuller.Result pull(ModelVariant variant) {
    return new ModelPuller(config(REPO, variant), recorder).pull();
  }

  private PullConfig config(String repo, ModelVariant variant) {
    return new PullConfig(
        repo, "main", variant, dir, uri(hub), null, 3, Duration.ZERO, STALL, true);
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
