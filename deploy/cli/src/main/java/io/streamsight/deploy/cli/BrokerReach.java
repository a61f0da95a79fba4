package io.streamsight.deploy.cli;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/**
 * The one check every one-shot CLI command that talks to Kafka makes before it waits on the broker:
 * a {@code describeCluster} bounded by {@link #BOUND}. Kafka's clients retry an unreachable
 * bootstrap silently until their own timeouts (a producer's {@code max.block.ms} is 60 s; a
 * consumer says only "Timeout expired while fetching topic metadata"); this says in one line,
 * within about 5 s, which address did not answer. Costs one admin round trip (~100 ms on loopback),
 * run beside the command's own client start-up where that matters ({@code ask}).
 */
final class BrokerReach {
  static final Duration BOUND = Duration.ofSeconds(5);

  /** The broker at {@code bootstrap} did not answer: exit 1, one line naming it. */
  static final class UnreachableException extends RuntimeException {
    UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private BrokerReach() {}

  /**
   * Returns once a broker at {@code bootstrap} answers.
   *
   * @throws UnreachableException within about {@link #BOUND} when none does
   */
  static void require(String bootstrap) {
    long ms = BOUND.toMillis();
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ms);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ms);
    p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 1000L);
    p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 2000L);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500L);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "streamsight-cli-probe");
    Admin admin;
    try {
      admin = Admin.create(p);
    } catch (KafkaException e) {
      // An unresolvable or malformed bootstrap fails here, before any connection.
      throw unreachable(bootstrap, e.getCause() != null ? e.getCause() : e);
    }
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) ms))
          .clusterId()
          .get(ms + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unreachable(bootstrap, e.getCause());
    } catch (TimeoutException e) {
      throw unreachable(bootstrap, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(bootstrap, e);
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  private static UnreachableException unreachable(String bootstrap, Throwable cause) {
    return new UnreachableException(
        "cannot reach Kafka at "
            + bootstrap
            + " within "
            + BOUND.toSeconds()
            + " s (is the broker running, and is --bootstrap right?)",
        cause);
  }
}
