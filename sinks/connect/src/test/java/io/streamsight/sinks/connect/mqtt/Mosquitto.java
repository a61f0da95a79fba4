package io.streamsight.sinks.connect.mqtt;

import io.streamsight.embedded.kafka.KafkaBroker;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real mosquitto broker on a free loopback port with a generated config (anonymous clients, no
 * persistence), for MQTT ITs. Debian's {@code mosquitto} package; {@link #path} is null without it.
 */
final class Mosquitto implements AutoCloseable {
  static final String PACKAGE_HINT =
      "skipped: needs the mosquitto MQTT broker (apt-get install mosquitto)";

  private final Process process;
  private final int port;

  private Mosquitto(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Path path() {
    for (String p :
        new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"}) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  static Mosquitto start(Path dir) throws Exception {
    int port = KafkaBroker.freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
    Process p =
        new ProcessBuilder(path().toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return new Mosquitto(p, port);
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
        }
        Thread.sleep(50); // polling for the port, not synchronising with a fixed wait
      }
    }
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
