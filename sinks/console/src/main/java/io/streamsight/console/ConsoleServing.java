package io.streamsight.console;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How the console serves whoever reaches its port: deadlines, connection and queue limits, the
 * memory its live view may take, and the host names it answers to. Declared once here (defaults in
 * the {@link ConfigDoc}s, bound from {@code console.yaml} by {@code streamsight console --config});
 * {@link #defaults()} is the same record bound from an empty file.
 */
public record ConsoleServing(
    @ConfigDoc(
            value =
                "A request's line and headers must arrive within this; a connection that sends"
                    + " less is closed (half-open connections cost no thread while they wait).",
            defaultValue = "10s")
        Duration headTimeout,
    @ConfigDoc(value = "Longest wait for the next bytes of a request body.", defaultValue = "30s")
        Duration readTimeout,
    @ConfigDoc(
            value =
                "Longest time one write to a client may block (a client that stops reading, a live"
                    + " stream included, is disconnected).",
            defaultValue = "30s")
        Duration writeTimeout,
    @ConfigDoc(value = "Open connections at most, all clients together.", defaultValue = "256")
        int maxConnections,
    @ConfigDoc(
            value = "Open connections at most from one client address; more get a 503.",
            defaultValue = "64")
        int maxConnectionsPerClient,
    @ConfigDoc(
            value =
                "Threads for ordinary requests (pages, live snapshot, cameras, alerts, writes).",
            defaultValue = "8")
        int threads,
    @ConfigDoc(
            value = "Ordinary requests waiting for a thread at most; more get a 503.",
            defaultValue = "64")
        int queue,
    @ConfigDoc(
            value =
                "Threads for heavy reads (search, keyframe and thumbnail images, subscriptions),"
                    + " kept apart so they cannot hold up the rest.",
            defaultValue = "2")
        int heavyThreads,
    @ConfigDoc(
            value = "Heavy reads waiting for a thread at most; more get a 503.",
            defaultValue = "8")
        int heavyQueue,
    @ConfigDoc(
            value =
                "Bytes of events queued for one live stream; a client that falls this far behind"
                    + " is disconnected (its browser reconnects and reloads the snapshot).",
            defaultValue = "1048576")
        int eventStreamBufferBytes,
    @ConfigDoc(
            value =
                "Bytes of records (as JSON) the live view keeps: recent summaries per camera, the"
                    + " feed, alerts and answers; the oldest go first beyond it.",
            defaultValue = "67108864")
        long liveStateBytes,
    @ConfigDoc(
            value =
                "Largest record (as JSON) the live view keeps or streams; larger ones are counted"
                    + " (`recordsTooLarge` in `/api/health`) and left to the archive.",
            defaultValue = "65536")
        int maxRecordBytes,
    @ConfigDoc(
            value =
                "Host names the console answers to besides localhost, 127.0.0.1, [::1] and the"
                    + " --bind address (e.g. `console.example.lan`); any other `Host` header gets"
                    + " a 421 (DNS rebinding).",
            defaultValue = "[]")
        List<String> hostNames) {

  public ConsoleServing {
    Checks.positive("headTimeout", headTimeout);
    Checks.positive("readTimeout", readTimeout);
    Checks.positive("writeTimeout", writeTimeout);
    Checks.atLeast("maxConnections", maxConnections, 1);
    Checks.inRange("maxConnectionsPerClient", maxConnectionsPerClient, 1, maxConnections);
    Checks.atLeast("threads", threads, 1);
    Checks.atLeast("queue", queue, 0);
    Checks.atLeast("heavyThreads", heavyThreads, 1);
    Checks.atLeast("heavyQueue", heavyQueue, 0);
    Checks.atLeast("eventStreamBufferBytes", eventStreamBufferBytes, 4096);
    Checks.atLeast("maxRecordBytes", maxRecordBytes, 1024);
    if (liveStateBytes < 16L * maxRecordBytes) {
      throw ConfigException.invalid(
          "liveStateBytes",
          liveStateBytes,
          "at least 16 x maxRecordBytes (" + maxRecordBytes + ")");
    }
    hostNames = hostNames == null ? List.of() : List.copyOf(hostNames);
    for (String h : hostNames) {
      if (h == null || !h.matches("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]")) {
        throw ConfigException.invalid("hostNames", h, "a host name or address, without port");
      }
    }
    hostNames = hostNames.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** Every key at its default. */
  public static ConsoleServing defaults() {
    return ConfigBinder.defaults(ConsoleServing.class);
  }

  public ConsoleServing withHostNames(List<String> names) {
    return new ConsoleServing(
        headTimeout,
        readTimeout,
        writeTimeout,
        maxConnections,
        maxConnectionsPerClient,
        threads,
        queue,
        heavyThreads,
        heavyQueue,
        eventStreamBufferBytes,
        liveStateBytes,
        maxRecordBytes,
        names);
  }
}
