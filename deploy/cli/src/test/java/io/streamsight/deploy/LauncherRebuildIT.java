package io.streamsight.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repo-root {@code streamsight} launcher rebuilds exactly when the built distribution is older
 * than a source or POM. The real script runs in a small copy of the repo layout (not a git
 * checkout, like an unpacked tarball) with stand-ins for {@code mvn} and {@code java} that only
 * record their calls: a real build takes minutes, and what is under test is the decision.
 *
 * <p>File times are set explicitly (hours in the past) instead of waiting for the clock to move.
 * The copy sits under a directory named {@code src}, as checkouts often do (~/src/...), so a check
 * that matched {@code src} anywhere in the absolute path would see every file as a source.
 */
@Timeout(60)
class LauncherRebuildIT {
  private static final Path LAUNCHER = Path.of("../../streamsight");
  private static final String REBUILD_LINE =
      "streamsight: sources changed since the last build, rebuilding...";
  private static final Instant NOW = Instant.now();
  private static final FileTime SOURCES_TIME = FileTime.from(NOW.minus(Duration.ofHours(3)));
  private static final FileTime BUILD_TIME = FileTime.from(NOW.minus(Duration.ofHours(2)));
  private static final FileTime EDIT_TIME = FileTime.from(NOW.minus(Duration.ofHours(1)));

  @TempDir Path tmp;
  private Path repo;
  private Path tools;
  private Path calls;
  private Path jar;
  private Path source;

  private record Run(int exit, String stderr, List<String> calls, Duration took) {
    boolean built() {
      return calls.stream().anyMatch(c -> c.startsWith("mvn "));
    }

    boolean ran() {
      return calls.stream().anyMatch(c -> c.startsWith("java "));
    }
  }

  @BeforeEach
  void layOutARepoWithABuiltDistribution() throws IOException {
    repo = tmp.resolve("src").resolve("streamsight");
    Files.createDirectories(repo);
    Files.copy(LAUNCHER, repo.resolve("streamsight"), StandardCopyOption.COPY_ATTRIBUTES);
    write(repo.resolve("pom.xml"), "<project/>");
    write(repo.resolve("README.md"), "# docs");
    write(repo.resolve("ingest/pom.xml"), "<project/>");
    source = repo.resolve("ingest/src/main/java/io/example/Gate.java");
    write(source, "class Gate {}");
    write(repo.resolve("ingest/src/main/java/io/example/Other.java"), "class Other {}");
    write(repo.resolve("ingest/target/classes/io/example/Gate.class"), "");
    write(repo.resolve(".streamsight/cluster/logs/kafka-1.log"), "");
    jar = repo.resolve("deploy/cli/target/streamsight-cli-0.1.0-SNAPSHOT.jar");
    write(jar, "");
    write(repo.resolve("deploy/cli/target/lib/kafka-clients-4.1.1.jar"), "");
    try (Stream<Path> all = Files.walk(repo)) {
      for (Path p : all.toList()) {
        Files.setLastModifiedTime(p, SOURCES_TIME);
      }
    }
    Files.setLastModifiedTime(jar, BUILD_TIME);
    Files.setLastModifiedTime(jar.resolveSibling("lib"), BUILD_TIME);

    calls = tmp.resolve("calls.log");
    tools = tmp.resolve("tools");
    Files.createDirectories(tools);
    // Only the tools the launcher and the stand-ins use, so "no mvn on PATH" is testable on a
    // machine that has Maven.
    for (String tool : List.of("dirname", "ls", "head", "find", "mktemp", "touch", "rm", "mkdir")) {
      Files.createSymbolicLink(tools.resolve(tool), onPath(tool));
    }
    stub(
        "java",
        "echo \"java $*\" >> \"$CALLS\"\n"); // the launcher's exec: the CLI "ran" with these args
    stub(
        "mvn",
        """
        echo "mvn $*" >> "$CALLS"
        # Only a first build makes the jar: an unchanged jar is not rewritten, like Maven's.
        mkdir -p deploy/cli/target/lib
        [ -e deploy/cli/target/streamsight-cli-0.1.0-SNAPSHOT.jar ] \
          || touch deploy/cli/target/streamsight-cli-0.1.0-SNAPSHOT.jar
        # File times tick coarsely (a few ms): an edit "2 seconds" on is clearly after the start.
        [ -z "${EDIT_DURING_BUILD:-}" ] || touch -d '2 seconds' "$EDIT_DURING_BUILD"
        exit "${MVN_EXIT:-0}"
        """);
  }

  @Test
  void runsWithoutBuildingWhenNothingChangedAndDecidesFast() throws Exception {
    Run run = launch(Map.of(), "demo", "--duration", "5s");

    assertEquals(0, run.exit(), run.stderr());
    assertEquals(
        List.of(
            "java -cp "
                + jar
                + ":"
                + jar.resolveSibling("lib")
                + "/* io.streamsight.deploy.Main"
                + " demo --duration 5s"),
        run.calls());
    assertEquals("", run.stderr());
    // Bash start, find over the tree and the stand-in java: the check itself is a few ms.
    assertTrue(run.took().compareTo(Duration.ofSeconds(1)) < 0, "took " + run.took());
  }

  @Test
  void rebuildsOnceAfterASourceChangedThenRunsTheNewBuild() throws Exception {
    Files.setLastModifiedTime(source, EDIT_TIME);

    Run first = launch(Map.of());
    assertEquals(0, first.exit(), first.stderr());
    assertTrue(first.built() && first.ran(), first.calls().toString());
    assertEquals(REBUILD_LINE, first.stderr().strip());
    assertTrue(
        first.calls().get(0).contains("-DskipTests") && first.calls().get(0).endsWith("install"),
        first.calls().get(0));

    // The jar was not rewritten (the fake build leaves it as Maven would): the launcher's stamp
    // says the build is newer than the edit.
    Run second = launch(Map.of());
    assertTrue(!second.built() && second.ran(), second.calls().toString());
    assertEquals("", second.stderr());
  }

  @Test
  void rebuildsWhenAPomChanged() throws Exception {
    Files.setLastModifiedTime(repo.resolve("ingest/pom.xml"), EDIT_TIME);

    Run run = launch(Map.of());
    assertTrue(run.built(), run.calls().toString());
    assertEquals(REBUILD_LINE, run.stderr().strip());
  }

  @Test
  void rebuildsWhenASourceWasDeleted() throws Exception {
    Files.delete(repo.resolve("ingest/src/main/java/io/example/Other.java"));

    Run run = launch(Map.of());
    assertTrue(run.built(), "a deletion changes only the directory's time: " + run.calls());
  }

  @Test
  void ignoresChangesOutsideSourcesAndPoms() throws Exception {
    for (String p :
        List.of(
            "README.md",
            "streamsight",
            "ingest/target/classes/io/example/Gate.class",
            ".streamsight/cluster/logs/kafka-1.log")) {
      Files.setLastModifiedTime(repo.resolve(p), EDIT_TIME);
    }
    write(repo.resolve("demo-out/summaries.jsonl"), "{}");

    Run run = launch(Map.of());
    assertTrue(!run.built() && run.ran(), run.calls().toString());
    assertEquals("", run.stderr());
  }

  @Test
  void aFileEditedDuringTheBuildStillCountsAsChangedNextTime() throws Exception {
    Files.setLastModifiedTime(source, EDIT_TIME);

    Run during = launch(Map.of("EDIT_DURING_BUILD", source.toString()));
    assertTrue(during.built(), during.calls().toString());

    Run next = launch(Map.of());
    assertTrue(next.built(), "the edit came after the build started: " + next.calls());
  }

  @Test
  void rebuildIsForcedByTheEnvironmentVariable() throws Exception {
    Run run = launch(Map.of("STREAMSIGHT_REBUILD", "1"));

    assertTrue(run.built() && run.ran(), run.calls().toString());
    assertEquals("streamsight: STREAMSIGHT_REBUILD=1, rebuilding...", run.stderr().strip());
  }

  @Test
  void buildsOnFirstUse() throws Exception {
    Files.delete(jar);

    Run run = launch(Map.of());
    assertTrue(run.built() && run.ran(), run.calls().toString());
    assertTrue(run.stderr().contains("first run"), run.stderr());
  }

  @Test
  void aFailedBuildExitsWithoutRunningStaleCodeAndIsRetriedNextTime() throws Exception {
    Files.setLastModifiedTime(source, EDIT_TIME);

    Run failed = launch(Map.of("MVN_EXIT", "1"));
    assertEquals(1, failed.exit());
    assertTrue(failed.built() && !failed.ran(), failed.calls().toString());
    assertTrue(failed.stderr().contains("build failed"), failed.stderr());

    Run retry = launch(Map.of());
    assertTrue(retry.built() && retry.ran(), retry.calls().toString());
  }

  @Test
  void withoutMavenAChangedTreeRunsTheExistingBuildWithAWarning() throws Exception {
    Files.delete(tools.resolve("mvn"));
    Files.setLastModifiedTime(source, EDIT_TIME);

    Run run = launch(Map.of());
    assertEquals(0, run.exit(), run.stderr());
    assertTrue(run.ran(), run.calls().toString());
    assertTrue(run.stderr().contains("mvn is not on PATH"), run.stderr());
  }

  private Run launch(Map<String, String> env, String... args) throws Exception {
    Files.deleteIfExists(calls);
    List<String> command = new java.util.ArrayList<>(List.of(onPath("bash").toString()));
    command.add(repo.resolve("streamsight").toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    // A clean environment: a STREAMSIGHT_REBUILD of the test's own shell must not leak in.
    pb.environment().clear();
    pb.environment().put("PATH", tools.toString());
    pb.environment().put("CALLS", calls.toString());
    pb.environment().putAll(env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Path stderr = tmp.resolve("stderr.txt");
    pb.redirectError(stderr.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("launcher did not finish in 30 s");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    List<String> recorded = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    return new Run(p.exitValue(), Files.readString(stderr), recorded, took);
  }

  private void stub(String name, String body) throws IOException {
    Path p = tools.resolve(name);
    write(p, "#!/bin/sh\n" + body);
    p.toFile().setExecutable(true);
  }

  private static Path onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
        .map(d -> Path.of(d, tool))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new AssertionError(tool + " is not on PATH"));
  }

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }
}
