package io.streamsight.console;

import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import java.nio.file.Path;

/**
 * A console in a process of its own, for {@link ConsoleBenchmarkIT}: its memory is measured without
 * the test's broker and browser driver in the same JVM. Prints its URL, then serves until its
 * standard input closes.
 */
public final class ConsoleBenchServer {
  private ConsoleBenchServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    try (ConsoleServer s =
        ConsoleServer.start(
            ConsoleConfig.defaults(args[0], dir).withBind("127.0.0.1", 0),
            AccessToken.loadOrCreate(dir),
            SearchBackend.NOT_CONFIGURED,
            SubscriptionsBackend.NOT_CONFIGURED)) {
      while (!s.ready()) {
        Thread.sleep(50); // a process of its own: waiting for readiness before announcing itself
      }
      System.out.println("URL " + s.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the parent closes our input
      }
    }
  }
}
