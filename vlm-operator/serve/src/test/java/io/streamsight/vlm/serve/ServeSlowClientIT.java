package io.streamsight.vlm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that starts a request and never finishes it is cut off after the read deadline, so slow
 * clients cannot hold the server's threads. This module's ITs run with a 3 s deadline (pom).
 */
class ServeSlowClientIT {
  /** The far edge only: this test never reaches the model. */
  private static final class NoModel implements VisionLanguageModel {
    @Override
    public String modelId() {
      return "none";
    }

    @Override
    public List<VlmResult> run(List<VlmRequest> requests) {
      throw new AssertionError("no request should reach the model");
    }

    @Override
    public void close() {}
  }

  @Test
  void shouldCloseAConnectionWhoseRequestNeverCompletes() throws Exception {
    assertEquals("3", System.getProperty(ReadTimeout.PROPERTY), "set by the pom for the ITs");
    try (ServeServer server =
        ServeServer.start(
            ServeConfig.defaults("none").withBind("127.0.0.1", 0), null, NoModel::new)) {
      server.awaitReady(Duration.ofSeconds(10));
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        out.write(
            ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:"
                    + server.port()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\"")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long t0 = System.nanoTime();
        InputStream in = s.getInputStream();
        int read;
        try {
          read = in.read(); // blocks until the server gives up on the request
        } catch (java.net.SocketException reset) {
          read = -1;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(-1, read, "the server answered instead of closing");
        assertTrue(seconds >= 2 && seconds < 25, "closed after " + seconds + " s");
      }
    }
  }
}
