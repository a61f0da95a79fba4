package io.streamsight.console.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in all and per client address, so one client cannot take every
 * connection the console will hold. The map holds only addresses with open connections (an entry
 * goes when its count returns to zero), so it is bounded by {@code max}.
 */
final class ConnectionGate {
  private final int max;
  private final int perClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> byClient = new ConcurrentHashMap<>();

  ConnectionGate(int max, int perClient) {
    this.max = max;
    this.perClient = perClient;
  }

  /** Why {@code client} may not open another connection, or null after counting it in. */
  String admit(InetAddress client) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return "the console has " + max + " connections open";
    }
    boolean[] refused = {false};
    byClient.compute(
        client,
        (k, n) -> {
          int c = n == null ? 0 : n;
          if (c >= perClient) {
            refused[0] = true;
            return n;
          }
          return c + 1;
        });
    if (refused[0]) {
      open.decrementAndGet();
      return "this client has " + perClient + " connections open";
    }
    return null;
  }

  void release(InetAddress client) {
    byClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }
}
