package io.streamsight.sinks.connect.worker;

import io.streamsight.sinks.connect.webhook.PinnedHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode (a single node is a cluster of one; more workers with
 * the same group share the subscriptions), started in this JVM with our connectors on the
 * classpath. Its state lives in three Kafka topics, so a restarted worker resumes every
 * subscription where its committed offsets say. Its REST API needs the credential it keeps in the
 * secrets directory ({@link RestCredential}; {@code RestGuard}).
 */
public final class ConnectWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectWorker.class);

  private final Connect<?> connect;
  private final URI restUrl;

  private ConnectWorker(Connect<?> connect, URI restUrl) {
    this.connect = connect;
    this.restUrl = restUrl;
  }

  /** Starts the worker and returns once its REST API answers. */
  public static ConnectWorker start(WorkerSettings settings) {
    try {
      Files.createDirectories(settings.secretsDir());
      try {
        Files.setPosixFilePermissions(
            settings.secretsDir(), PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        LOG.debug("No POSIX permissions on {}", settings.secretsDir());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot create the secrets directory " + settings.secretsDir() + ": " + e.getMessage(),
          e);
    }
    try {
      RestCredential.loadOrCreate(settings.secretsDir());
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot create the REST credential in " + settings.secretsDir() + ": " + e.getMessage(),
          e);
    }
    // Before any HTTP request is built in this JVM: lets webhooks go to the checked address.
    PinnedHttp.enable();
    Connect<?> connect = new ConnectDistributed().startConnect(settings.workerProperties());
    URI url = connect.rest().serverUrl();
    LOG.info("Kafka Connect worker {} serving REST on {}", settings.groupId(), url);
    return new ConnectWorker(connect, url);
  }

  /** The REST API, e.g. {@code http://127.0.0.1:8083/}. */
  public URI restUrl() {
    return restUrl;
  }

  /** Blocks until the worker stops (Ctrl-C through the shutdown hook, or {@link #close}). */
  public void awaitStop() {
    connect.awaitStop();
  }

  @Override
  public void close() {
    connect.stop();
  }

  /** {@code ConnectWorker <bootstrap> <port> <secretsDir>}: a worker process for tests. */
  public static void main(String[] args) {
    WorkerSettings s =
        WorkerSettings.of(args[0], Path.of(args[2]))
            .withListener("127.0.0.1", Integer.parseInt(args[1]));
    ConnectWorker w = start(s);
    Runtime.getRuntime().addShutdownHook(new Thread(w::close));
    System.out.println("READY " + w.restUrl());
    System.out.flush();
    w.awaitStop();
  }
}
