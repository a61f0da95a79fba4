package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.testkit.Await;
import io.streamsight.testkit.net.ListeningSockets;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamsight serve} as the CLI runs it: loopback by default, stops when interrupted. */
class ServeCommandIT {
  private static final Pattern URL = Pattern.compile("at (http://\\S+/v1)");

  @Test
  void shouldServeTheModelOnLoopbackByDefaultAndStopCleanly(@TempDir Path tmp) throws Exception {
    Path model = VlmFixtureModel.write(tmp.resolve("colours"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread cli =
        new Thread(
            () ->
                exit.set(
                    StreamsightCli.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "serve",
                        "--model",
                        model.toString(),
                        "--provider",
                        "cpu",
                        "--port",
                        "0")),
            "serve-cli");
    cli.start();
    String printed =
        Await.until(
            "serve to print its URL",
            Duration.ofSeconds(90),
            out::toString,
            s -> URL.matcher(s).find() || !cli.isAlive());
    Matcher m = URL.matcher(printed);
    assertTrue(m.find(), "stdout: " + printed + "\nstderr: " + err);
    URI base = URI.create(m.group(1));
    assertEquals("127.0.0.1", base.getHost());
    assertTrue(printed.contains("model colours"), printed);
    assertTrue(printed.contains("no token needed on loopback"), printed);
    int port = base.getPort();
    var mine = ListeningSockets.ofThisProcess().stream().filter(s -> s.port() == port).toList();
    assertFalse(mine.isEmpty(), "nothing listens on " + port);
    assertTrue(mine.stream().allMatch(ListeningSockets.Socket::loopback), mine.toString());

    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("\"ready\""), health.body());

    cli.interrupt(); // what Ctrl-C's shutdown hook does: end the wait, close the server
    cli.join(Duration.ofSeconds(30).toMillis());
    assertFalse(cli.isAlive(), "serve did not stop");
    assertTrue(
        ListeningSockets.ofThisProcess().stream().noneMatch(s -> s.port() == port),
        "port " + port + " still open");
  }
}
