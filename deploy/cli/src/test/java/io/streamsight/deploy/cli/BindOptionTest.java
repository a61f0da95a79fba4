package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BindOptionTest {
  private static String parse(String... args) {
    BindOption b = new BindOption();
    CommandLine cl = new CommandLine(CommandLine.Model.CommandSpec.forAnnotatedObject(b));
    cl.parseArgs(args);
    return b.address(cl);
  }

  @Test
  void loopbackUnlessAskedAndOnlyIpAddresses() {
    assertEquals("127.0.0.1", parse());
    assertEquals("0.0.0.0", parse("--bind", "0.0.0.0"));
    assertEquals("::", parse("--bind", "[::]"));
    var e = assertThrows(CommandLine.ParameterException.class, () -> parse("--bind", "myhost"));
    assertTrue(e.getMessage().contains("'myhost'"), e.getMessage());
  }

  @Test
  void openingWarnsNamingWhatIsReachable() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
    BindOption.warn(ps, "127.0.0.1", List.of(BindOption.KAFKA));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    BindOption.warn(ps, "0.0.0.0", List.of(BindOption.KAFKA, BindOption.FLINK_REST));
    String line = err.toString(StandardCharsets.UTF_8);
    assertTrue(line.startsWith("WARNING: --bind 0.0.0.0"), line);
    assertTrue(line.contains("Kafka broker") && line.contains("Flink REST API"), line);
    assertEquals(1, line.lines().count());
  }

  @Test
  void operatorRefusesBindWithoutLocal() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new OperatorCommand());
    cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    int rc =
        cl.execute(
            "--bootstrap",
            "127.0.0.1:1",
            "--model",
            "/nonexistent",
            "--jobmanager",
            "127.0.0.1:8081",
            "--bind",
            "0.0.0.0");
    assertEquals(2, rc);
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("--bind applies to --local only"),
        err.toString(StandardCharsets.UTF_8));
  }
}
