package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterExceptionTest {
  @TempDir Path dir;

  @Test
  void namesTheProcessAndLogAndQuotesTheCauseWithoutStackFrames() throws Exception {
    Path log = dir.resolve("flink-jobmanager.log");
    Files.writeString(
        log,
        String.join(
            "\n",
            "INFO starting",
            "ERROR Could not start cluster entrypoint",
            "Caused by: java.net.BindException: Could not start rest endpoint on port 8081",
            "\tat org.apache.flink.runtime.rest.RestServerEndpoint.start(RestServerEndpoint.java:291)",
            "\t... 2 more"));
    String msg = new ClusterException("flink-jobmanager", log, "exited").getMessage();
    assertTrue(msg.startsWith("flink-jobmanager: exited (log: " + log + ")"), msg);
    assertTrue(msg.contains("BindException"), msg);
    assertFalse(msg.contains("RestServerEndpoint.start"), msg);
    assertFalse(msg.contains("2 more"), msg);
  }
}
