package io.streamsight.console;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@code streamsight console} is started with, checked once here: a bad value fails at
 * start naming its key. Immutable; holds no secret (the token lives in {@link AccessToken}).
 *
 * @param bootstrap Kafka bootstrap servers, host:port[,host:port]
 * @param bind address the HTTP server listens on (127.0.0.1 unless {@code --bind})
 * @param port HTTP port; 0 picks a free one (tests)
 * @param dataDir where the generated token is kept ({@code console.token})
 * @param tokenFile a token file to use instead of generating one; null = generate into dataDir
 * @param recentPerCamera summaries kept in memory per camera for its timeline (older ones are the
 *     archive's job)
 * @param feedSize summaries and alerts kept for the live feed
 * @param alertsKept alerts kept in memory for the alerts page
 * @param maxCameras cameras tracked; records of further cameras are counted, not shown, so a flood
 *     of made-up camera ids cannot grow the heap without bound
 * @param keyframeCacheBytes bytes of keyframe JPEGs kept in memory
 * @param maxEventStreams live (server-sent events) connections open at once; each holds one thread
 * @param serving deadlines, connection and queue limits, live-view bytes and host names
 */
public record ConsoleConfig(
    String bootstrap,
    String bind,
    int port,
    Path dataDir,
    Path tokenFile,
    int recentPerCamera,
    int feedSize,
    int alertsKept,
    int maxCameras,
    long keyframeCacheBytes,
    int maxEventStreams,
    ConsoleServing serving) {

  public static final int DEFAULT_PORT = 8080;

  public ConsoleConfig {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("bootstrap: Kafka bootstrap servers are required");
    }
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(serving, "serving");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " is not between 0 and 65535");
    }
    positive("recentPerCamera", recentPerCamera);
    positive("feedSize", feedSize);
    positive("alertsKept", alertsKept);
    positive("maxCameras", maxCameras);
    positive("maxEventStreams", maxEventStreams);
    if (keyframeCacheBytes < 1 << 20) {
      throw new IllegalArgumentException(
          "keyframeCacheBytes: " + keyframeCacheBytes + " is below 1 MiB");
    }
  }

  /** The defaults: loopback, port 8080, a few hundred records per list, a 64 MiB image cache. */
  public static ConsoleConfig defaults(String bootstrap, Path dataDir) {
    return new ConsoleConfig(
        bootstrap,
        "127.0.0.1",
        DEFAULT_PORT,
        dataDir,
        null,
        100,
        200,
        2000,
        1000,
        64L << 20,
        32,
        ConsoleServing.defaults());
  }

  public ConsoleConfig withBind(String bind, int port) {
    return new ConsoleConfig(
        bootstrap,
        bind,
        port,
        dataDir,
        tokenFile,
        recentPerCamera,
        feedSize,
        alertsKept,
        maxCameras,
        keyframeCacheBytes,
        maxEventStreams,
        serving);
  }

  public ConsoleConfig withTokenFile(Path tokenFile) {
    return new ConsoleConfig(
        bootstrap,
        bind,
        port,
        dataDir,
        tokenFile,
        recentPerCamera,
        feedSize,
        alertsKept,
        maxCameras,
        keyframeCacheBytes,
        maxEventStreams,
        serving);
  }

  public ConsoleConfig withServing(ConsoleServing serving) {
    return new ConsoleConfig(
        bootstrap,
        bind,
        port,
        dataDir,
        tokenFile,
        recentPerCamera,
        feedSize,
        alertsKept,
        maxCameras,
        keyframeCacheBytes,
        maxEventStreams,
        serving);
  }

  private static void positive(String key, long v) {
    if (v < 1) {
      throw new IllegalArgumentException(key + ": " + v + " must be at least 1");
    }
  }
}
