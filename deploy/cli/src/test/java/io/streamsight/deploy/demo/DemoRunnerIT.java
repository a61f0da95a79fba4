package io.streamsight.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.console.search.SearchHit;
import io.streamsight.console.search.SearchRequest;
import io.streamsight.deploy.console.ArchiveSearchBackend;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end, as {@code streamsight demo --duration 60s --out DIR} runs it. */
class DemoRunnerIT {

  @Test
  void demoRunsThePipelineAndWritesSummariesAlertsAndAnswersThenExitsCleanly(@TempDir Path tmp)
      throws Exception {
    Path model = VlmFixtureModel.write(tmp.resolve("model"));
    Path video = SampleVideo.ensure(tmp.resolve("video"));
    Path out = tmp.resolve("out");
    Path data = tmp.resolve("data");
    ByteArrayOutputStream feed = new ByteArrayOutputStream();

    int rc =
        new DemoRunner(
                new DemoRunner.Options(model, video.toString(), Duration.ofSeconds(60), out, data),
                new PrintStream(feed, true, StandardCharsets.UTF_8))
            .run();

    String text = feed.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, text);
    List<String> summaries = Files.readAllLines(out.resolve("summaries.jsonl"));
    List<String> alerts = Files.readAllLines(out.resolve("alerts.jsonl"));
    assertTrue(summaries.size() >= 3, "at least 3 summaries in 60 s:\n" + text);
    // The sample's scenes are red, yellow, blue, ... in 10 s windows: the first names red.
    assertTrue(summaries.get(0).contains("\"text\":\"red"), summaries.get(0));
    assertTrue(
        alerts.stream().anyMatch(a -> a.contains("yellow-scene") || a.contains("blue-scene")),
        "an example rule fired:\n" + text);
    assertTrue(Files.exists(out.resolve("answers.jsonl")));
    assertTrue(text.contains("stopped: Kafka broker"), text);

    // The demo's archive holds the summaries, searchable as the console searches them.
    assertTrue(text.contains("started: archive (search history) in " + data.resolve("archive")));
    try (MiniLmEmbedder embedder = MiniLmEmbedder.load(1);
        ArchiveSearchBackend search =
            ArchiveSearchBackend.sharing(data.resolve("archive"), embedder)) {
      List<SearchHit> hits =
          search.search(new SearchRequest("red", DemoRunner.CAMERA, null, null, 5));
      assertTrue(
          hits.stream().anyMatch(h -> h.kind().equals("summary") && h.text().startsWith("red")),
          hits.toString());
    }
  }
}
