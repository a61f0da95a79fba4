package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.json.AvroJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28 #3: with no broker at {@code --bootstrap}, every one-shot command that talks to Kafka
 * says so in one line naming the address, exit 1, within about 5 s ({@link BrokerReach}); before,
 * {@code ask} waited silently past 60 s and {@code tail} said only "Timeout expired while fetching
 * topic metadata". Port 1 on loopback: nothing listens there.
 */
@Timeout(120)
class UnreachableBrokerTest {
  private static final String NOWHERE = "127.0.0.1:1";

  /**
   * Well above the 5 s bound (a loaded machine), far below the 60 s the clients wait by default.
   */
  private static final Duration WITHIN = Duration.ofSeconds(20);

  @TempDir Path tmp;

  private record Run(int code, String err, Duration took) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long start = System.nanoTime();
    int code = StreamsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, err.toString(), Duration.ofNanos(System.nanoTime() - start));
  }

  private static void saysTheBrokerIsUnreachable(Run r, String command) {
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("streamsight " + command + ": "), r.err());
    assertTrue(r.err().contains("cannot reach Kafka at " + NOWHERE), r.err());
    assertTrue(r.took().compareTo(WITHIN) < 0, command + " took " + r.took());
  }

  @Test
  void askWithAnUnreachableBrokerNamesTheAddressFast() {
    saysTheBrokerIsUnreachable(
        run("ask", "--bootstrap", NOWHERE, "--camera", "cam-1", "What colour is it?"), "ask");
  }

  @Test
  void tailWithAnUnreachableBrokerNamesTheAddressFast() {
    saysTheBrokerIsUnreachable(run("tail", "vlm.alerts", "--bootstrap", NOWHERE), "tail");
  }

  @Test
  void rulesAndTopicsWithAnUnreachableBrokerNameTheAddressFast() {
    saysTheBrokerIsUnreachable(run("rules", "list", "--bootstrap", NOWHERE), "rules list");
    saysTheBrokerIsUnreachable(
        run(
            "rules",
            "add",
            "--bootstrap",
            NOWHERE,
            "--id",
            "fence",
            "--camera",
            "cam-*",
            "--question",
            "Is someone climbing the fence?"),
        "rules add");
    saysTheBrokerIsUnreachable(run("topics", "create", "--bootstrap", NOWHERE), "topics create");
  }

  @Test
  void publishWithAnUnreachableBrokerNamesTheAddressFast() throws Exception {
    AlertRule rule =
        AlertRule.newBuilder().setId("fence").setCameraGlob("cam-*").setQuestion("Q?").build();
    Path file = tmp.resolve("rules.jsonl");
    Files.write(file, List.of(AvroJson.toJsonLine(rule)));

    saysTheBrokerIsUnreachable(
        run("publish", "vlm.rules", "--bootstrap", NOWHERE, "--json", file.toString()), "publish");
  }

  @Test
  void anUnresolvableBootstrapIsNamedToo() {
    Run r = run("tail", "vlm.alerts", "--bootstrap", "no-such-host.invalid:9092");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("cannot reach Kafka at no-such-host.invalid:9092"), r.err());
    assertTrue(r.err().contains("unknown host"), r.err());
  }

  @Test
  void theReasonIsGivenForEachAddress() {
    Run r = run("rules", "list", "--bootstrap", NOWHERE + ",127.0.0.1:2");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("127.0.0.1:1: connection refused"), r.err());
    assertTrue(r.err().contains("127.0.0.1:2: connection refused"), r.err());
  }
}
