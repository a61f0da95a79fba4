package io.streamsight.schemas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ConfigBinderTest {
  enum Mode {
    AUTO,
    NEVER
  }

  record Window(
      @ConfigDoc(value = "window length", defaultValue = "10s") Duration size,
      @ConfigDoc(value = "frames kept", defaultValue = "8") int maxFrames) {
    Window {
      Checks.positive("size", size);
      Checks.atLeast("maxFrames", maxFrames, 1);
    }
  }

  record Camera(
      @ConfigDoc(value = "camera id", required = true) String id,
      @ConfigDoc(value = "longest edge", defaultValue = "1024") int maxEdge,
      @ConfigDoc(value = "frame rate", unset = "the top-level fps") Double fps) {
    Camera {
      Checks.inRange("maxEdge", maxEdge, 16, 8192);
    }
  }

  record Root(
      @ConfigDoc(value = "application id", defaultValue = "app-1") String applicationId,
      @ConfigDoc(value = "frames per second", defaultValue = "5") double fps,
      @ConfigDoc("windows") Window window,
      @ConfigDoc(value = "cameras", defaultValue = "[]") List<Camera> cameras,
      @ConfigDoc(value = "per-camera windows", defaultValue = "{}") Map<String, Window> overrides,
      @ConfigDoc(value = "mode | how", defaultValue = "auto") Mode mode,
      @ConfigDoc(value = "free options", defaultValue = "{}") Map<String, String> options,
      @ConfigDoc(value = "passed on", defaultValue = "{}")
          @JsonDeserialize(contentUsing = ScalarText.class)
          Map<String, String> passThrough) {}

  /** One optional block (unset: null) beside one filled from its keys' defaults. */
  record Blocks(
      @ConfigDoc(value = "optional block", unset = "no such block") Window optional,
      @ConfigDoc("always there") Window filled) {}

  @Test
  void aNestedMappingDeclaredUnsetStaysNullWhenLeftOut() {
    Blocks none = ConfigBinder.load("b.yaml", "", Blocks.class, b -> b);
    assertEquals(null, none.optional());
    assertEquals(new Window(Duration.ofSeconds(10), 8), none.filled());
    Blocks some = ConfigBinder.load("b.yaml", "optional: {maxFrames: 2}\n", Blocks.class, b -> b);
    assertEquals(new Window(Duration.ofSeconds(10), 2), some.optional());
  }

  @TempDir Path dir;

  private Root load(String yaml) throws Exception {
    Path f = dir.resolve("test.yaml");
    Files.writeString(f, yaml);
    return ConfigBinder.bind(f, Root.class);
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void missingKeysGetTheirDocumentedDefaults() throws Exception {
    Root r = load("window: {maxFrames: 4}\n");
    assertEquals("app-1", r.applicationId());
    assertEquals(5.0, r.fps());
    assertEquals(Duration.ofSeconds(10), r.window().size());
    assertEquals(4, r.window().maxFrames());
    assertEquals(List.of(), r.cameras());
    assertEquals(Mode.AUTO, r.mode());
    assertEquals(
        new Root(
            "app-1",
            5,
            new Window(Duration.ofSeconds(10), 4),
            List.of(),
            Map.of(),
            Mode.AUTO,
            Map.of(),
            Map.of()),
        r);
    // An empty file, and an empty value, mean the defaults too.
    assertEquals(ConfigBinder.defaults(Root.class), load("# nothing set\n"));
    assertEquals(ConfigBinder.defaults(Root.class), load("fps:\nwindow:\n"));
  }

  @Test
  void nestedMappingsListsAndMapsBind() throws Exception {
    Root r =
        load(
            """
            applicationId: sampler-eu
            fps: 2
            mode: NEVER
            cameras:
              - id: lobby
                maxEdge: 640
              - {id: door, fps: 0.5}
            overrides:
              lobby: {size: 500ms}
              gate:
            options: {transport: udp}
            passThrough: {buffer_size: 1024000, fast: true, preset: veryfast}
            """);
    assertEquals(2.0, r.fps());
    assertEquals(Mode.NEVER, r.mode());
    assertEquals(new Camera("lobby", 640, null), r.cameras().get(0));
    assertEquals(new Camera("door", 1024, 0.5), r.cameras().get(1));
    assertEquals(Duration.ofMillis(500), r.overrides().get("lobby").size());
    assertEquals(new Window(Duration.ofSeconds(10), 8), r.overrides().get("gate"));
    assertEquals(Map.of("transport", "udp"), r.options());
    assertEquals(
        Map.of("buffer_size", "1024000", "fast", "true", "preset", "veryfast"), r.passThrough());
  }

  @Test
  void anUnknownKeyNamesItsPathAndTheKnownKeys() {
    String msg = error("window:\n  sise: 5s\n");
    assertTrue(msg.startsWith(dir.resolve("test.yaml") + ": window.sise: unknown key"), msg);
    assertTrue(msg.contains("[size, maxFrames]"), msg);
    msg = error("aplicationId: x\n");
    assertTrue(msg.contains("aplicationId: unknown key; the keys at the top are [applicationId,"));
  }

  @Test
  void aWrongTypeNamesKeyValueAndExpectedTypeAndIsNeverCoerced() {
    assertTrue(
        error("applicationId: 123\n").endsWith("applicationId: got 123 (a number); allowed: text"));
    assertTrue(error("fps: \"x\"\n").endsWith("fps: got 'x' (text); allowed: a number"));
    assertTrue(error("fps: '5'\n").endsWith("fps: got '5' (text); allowed: a number"));
    assertTrue(
        error("window: {maxFrames: 2.5}\n")
            .endsWith("window.maxFrames: got 2.5 (a number); allowed: a whole number"));
    assertTrue(error("applicationId: true\n").contains("allowed: text"));
    assertTrue(error("options: {retries: 3}\n").contains("options.retries: got 3 (a number)"));
    assertTrue(error("passThrough: {a: [1]}\n").contains("passThrough.a: got a list"));
    String mode = error("mode: sometimes\n");
    assertTrue(mode.endsWith("mode: got 'sometimes' (text); allowed: one of auto, never"), mode);
    assertTrue(error("mode: 1\n").contains("mode: got 1 (a number); allowed: one of auto, never"));
    assertTrue(error("window: 10s\n").contains("window: got '10s' (text); allowed: a mapping"));
    assertTrue(error("cameras: {id: a}\n").contains("cameras: got a mapping; allowed: a list"));
  }

  @Test
  void aDurationHasOneFormatEverywhere() throws Exception {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ZERO, Durations.parse("0"));
    for (String bad : List.of("5", "1.5s", "-1s", "10 seconds", "10S", "", "s", "1d")) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
    for (Duration d : List.of(Duration.ofMillis(1500), Duration.ofMinutes(90), Duration.ZERO)) {
      assertEquals(d, Durations.parse(Durations.format(d)));
    }
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("90m", Durations.format(Duration.ofMinutes(90)));

    String msg = error("window: {size: 10 seconds}\n");
    assertTrue(msg.contains("window.size: got '10 seconds' (text); allowed: a duration"), msg);
    assertTrue(error("window: {size: 5}\n").contains("window.size: got 5 (a number)"));
    // 0 parses, and the record's own check (size > 0) then names the key.
    assertTrue(
        error("window: {size: 0}\n").contains("window.size: got 0; allowed: a duration > 0"));
    assertEquals(
        Duration.ofMillis(250), load("overrides: {a: {size: 250ms}}").overrides().get("a").size());
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigBinder.bind(missing, Root.class));
    assertEquals(missing + ": no such file", e.getMessage());
    assertEquals(missing.toString(), e.file());
  }

  @Test
  void pathsInsideListsAndMapsNameTheElement() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> load("cameras:\n  - {id: a}\n  - {id: b}\n  - {id: c, maxEdge: 4}\n"));
    assertEquals("cameras[2].maxEdge", e.path());
    assertTrue(
        e.getMessage()
            .endsWith(
                "cameras[2].maxEdge: got 4; allowed: an integer in 16..8192"
                    + " (cameras[2] is id 'c')"),
        e.getMessage());
    assertTrue(error("cameras:\n  - {maxEdge: 20}\n").contains("cameras[0].id: missing; required"));
    assertTrue(
        error("cameras:\n  - {id: a, fsp: 3}\n")
            .contains(
                "cameras[0].fsp: unknown key; the keys in cameras[0] are [id, maxEdge, fps]"));
    assertTrue(error("overrides:\n  lobby: {size: soon}\n").contains("overrides.lobby.size: got"));
    assertTrue(error("options: {a: }\n").contains("options.a: got nothing; allowed: text"));
  }

  @Test
  void badYamlAndABadTopLevelAreNamed() {
    String msg = error("cameras: [\n");
    assertTrue(msg.contains("test.yaml: invalid YAML at line"), msg);
    assertTrue(error("- a\n").contains("(top level): got a list; allowed: a mapping"));
    assertTrue(error("fps: 1\nfps: 2\n").contains("fps"));
  }

  @Test
  void problemsFoundWhileBuildingTheConfigGetTheFileAndPath() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigBinder.load(
                    "cams.yaml",
                    "cameras: [{id: a}, {id: a}]",
                    Root.class,
                    r ->
                        ConfigException.within(
                            "cameras[1]",
                            () -> {
                              throw ConfigException.invalid("id", "a", "an unused id");
                            })));
    assertEquals(
        "cams.yaml: cameras[1].id: got 'a'; allowed: an unused id (cameras[1] is id 'a')",
        e.getMessage());
  }

  @Test
  void theDocsListEveryKeyWithTypeDefaultAndMeaning() {
    String md =
        ConfigDocs.render(
            "Config",
            "Intro.\n",
            List.of(new ConfigDocs.Section("test.yaml", Root.class, "Read by tests.", "fps: 2")));
    assertTrue(md.contains("## test.yaml\n\nRead by tests.\n\n```yaml\nfps: 2\n```\n"), md);
    assertTrue(md.contains("| `fps` | number | `5` | frames per second |\n"), md);
    assertTrue(md.contains("| `window` | mapping | (its keys' defaults) | windows |\n"), md);
    assertTrue(md.contains("| `window.size` | duration | `10s` | window length |\n"), md);
    assertTrue(md.contains("| `cameras[].id` | text | required | camera id |\n"), md);
    assertTrue(md.contains("| `cameras[].fps` | number | the top-level fps | frame rate |\n"), md);
    assertTrue(md.contains("| `overrides.<name>.maxFrames` | integer | `8` | frames kept |\n"));
    assertTrue(md.contains("| `mode` | `auto` \\| `never` | `auto` | mode \\| how |\n"), md);
  }
}
