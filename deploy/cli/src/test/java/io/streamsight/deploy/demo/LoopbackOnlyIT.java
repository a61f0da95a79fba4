package io.streamsight.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.net.ListeningSockets;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the demo starts in this JVM (Kafka broker, sampler, the operator on Flink local with
 * its REST endpoint, blob server and RPC, ingest, the feed) listens on loopback only, read from the
 * kernel's socket tables rather than from what the components claim.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LoopbackOnlyIT {
  @BeforeAll
  static void linuxOnly() {
    assumeTrue(ListeningSockets.supported(), "needs /proc/self/net/tcp (Linux)");
  }

  @Test
  void theDemoListensOnLoopbackOnly(@TempDir Path tmp) throws Exception {
    Path model = VlmFixtureModel.write(tmp.resolve("model"));
    Path video = SampleVideo.ensure(tmp.resolve("video"));
    ByteArrayOutputStream feed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(feed, true, StandardCharsets.UTF_8);
    DemoRunner demo =
        new DemoRunner(
            new DemoRunner.Options(model, video.toString(), Duration.ofSeconds(25), null, null),
            out);
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return demo.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // Every stage is up once the live feed starts (ingest is the last one started).
    Await.until(
        "the demo's live feed (or its end): " + feed,
        Duration.ofSeconds(120),
        () -> feed.toString(StandardCharsets.UTF_8).contains("Live feed") || run.isDone());
    List<ListeningSockets.Socket> all = ListeningSockets.ofThisProcess();
    List<ListeningSockets.Socket> open = ListeningSockets.notLoopback();
    assertEquals(0, run.get(90, TimeUnit.SECONDS), feed.toString(StandardCharsets.UTF_8));
    // The broker and Flink's REST endpoint at least: the table was read, not merely empty.
    assertTrue(all.size() >= 3, "listening sockets seen: " + all);
    assertEquals(List.of(), open, "sockets reachable from the network (all: " + all + ")");
  }

  @Test
  void theBrokerOpensOnlyWhenAskedAndTheCheckSeesIt(@TempDir Path tmp) throws Exception {
    try (KafkaBroker loopback = KafkaBroker.start(BrokerConfig.singleNode(0, tmp.resolve("a")))) {
      List<ListeningSockets.Socket> client =
          ListeningSockets.ofThisProcess().stream()
              .filter(s -> s.port() == loopback.port())
              .toList();
      assertFalse(client.isEmpty(), "the client port is seen: " + ListeningSockets.ofThisProcess());
      assertTrue(client.stream().allMatch(ListeningSockets.Socket::loopback), client.toString());
    }
    BrokerConfig open = BrokerConfig.singleNode(0, tmp.resolve("b")).withBind("0.0.0.0");
    try (KafkaBroker wildcard = KafkaBroker.start(open)) {
      assertTrue(
          ListeningSockets.notLoopback().stream().anyMatch(s -> s.port() == wildcard.port()),
          "--bind 0.0.0.0 shows as a wildcard socket: " + ListeningSockets.ofThisProcess());
    }
  }
}
