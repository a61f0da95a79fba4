package io.streamsight.deploy.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one check every one-shot CLI command that talks to Kafka makes before it waits on the broker:
 * can a TCP connection to a {@code --bootstrap} address be opened within {@link #BOUND}? Kafka's
 * clients retry an unreachable bootstrap silently until their own timeouts (a producer's {@code
 * max.block.ms} is 60 s; a consumer says only "Timeout expired while fetching topic metadata");
 * this says in one line, within about 5 s, which address did not answer and why (refused, unknown
 * host, no answer).
 *
 * <p>A plain connect rather than an admin {@code describeCluster}: it costs about a millisecond and
 * no Kafka client start-up (which matters to {@code ask}'s start), and the kernel accepts the
 * connection even when the broker's JVM is slow, so a loaded machine is not reported as a missing
 * broker. What it cannot see (something else listening on the port, a broker advertising an
 * unreachable address) is left to the clients' own timeouts. Addresses are tried in parallel; the
 * first that connects ends the check.
 */
final class BrokerReach {
  static final Duration BOUND = Duration.ofSeconds(5);

  /** No broker at {@code bootstrap} answered: exit 1, one line naming it. */
  static final class UnreachableException extends RuntimeException {
    UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private BrokerReach() {}

  /**
   * Returns once one address of {@code bootstrap} ({@code host:port[,host:port]}) accepts a TCP
   * connection.
   *
   * @throws UnreachableException within about {@link #BOUND} when none does
   */
  static void require(String bootstrap) {
    List<String> addresses = new ArrayList<>();
    for (String a : bootstrap.split(",")) {
      if (!a.isBlank()) {
        addresses.add(a.strip());
      }
    }
    if (addresses.isEmpty()) {
      throw unreachable(bootstrap, "no address given", null);
    }
    ExecutorService threads =
        Executors.newFixedThreadPool(
            Math.min(addresses.size(), 8),
            r -> {
              Thread t = new Thread(r, "broker-probe");
              t.setDaemon(true);
              return t;
            });
    CompletableFuture<Void> anyAnswered = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(addresses.size());
    List<String> reasons = Collections.synchronizedList(new ArrayList<>());
    try {
      for (String a : addresses) {
        threads.execute(
            () -> {
              try {
                connect(a);
                anyAnswered.complete(null);
              } catch (RuntimeException e) {
                reasons.add(a + ": " + e.getMessage());
                if (left.decrementAndGet() == 0) {
                  anyAnswered.completeExceptionally(e);
                }
              }
            });
      }
      anyAnswered.join();
    } catch (CompletionException e) {
      throw unreachable(bootstrap, String.join("; ", reasons), e.getCause());
    } finally {
      threads.shutdownNow();
    }
  }

  private static void connect(String address) {
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not host:port");
    }
    String host = address.substring(0, Math.max(colon, 0)).replaceAll("^\\[|]$", "");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) BOUND.toMillis());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("unknown host");
    } catch (ConnectException e) {
      throw new IllegalStateException("connection refused");
    } catch (SocketTimeoutException e) {
      throw new IllegalStateException("no answer");
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage()); // a port out of range, say
    } catch (IOException e) {
      throw new IllegalStateException(e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  private static UnreachableException unreachable(String bootstrap, String why, Throwable cause) {
    return new UnreachableException(
        "cannot reach Kafka at "
            + bootstrap
            + " within "
            + BOUND.toSeconds()
            + " s ("
            + why
            + "; is the broker running, and is --bootstrap right?)",
        cause);
  }
}
