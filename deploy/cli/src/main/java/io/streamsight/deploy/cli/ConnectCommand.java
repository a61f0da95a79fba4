package io.streamsight.deploy.cli;

import io.streamsight.sinks.connect.worker.ConnectWorker;
import io.streamsight.sinks.connect.worker.RestCredential;
import io.streamsight.sinks.connect.worker.WorkerSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamsight connect}: a Kafka Connect worker running the subscription connectors. */
@Command(
    name = "connect",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Kafka Connect worker (distributed mode; its state in topics on --bootstrap) with the"
          + " webhook and MQTT subscription connectors, until Ctrl-C. Its REST API listens on"
          + " 127.0.0.1 unless --bind, answers only to its own host names, and takes writes only with"
          + " the credential kept in --secrets-dir. Workers with the same --group share the subscriptions.",
      "Add subscriptions with: streamsight subscriptions add --connect http://127.0.0.1:PORT ..."
    })
public final class ConnectCommand implements Callable<Integer> {
  static final String CONNECT_REST =
      "the Kafka Connect REST API (reads open; writes need the credential in --secrets-dir)";

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(
      names = "--port",
      defaultValue = "8083",
      description = "REST port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--group",
      defaultValue = WorkerSettings.DEFAULT_GROUP,
      description =
          "Connect group id; also prefixes its internal topics (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(
      names = "--secrets-dir",
      description =
          "Directory of subscription secrets, the only one the worker's file config provider"
              + " reads, and of the REST API's credential (connect-rest.token, 0600; subscriptions"
              + " --secrets-dir reads it) (default: ~/.streamsight/connect-secrets).")
  Path secretsDir;

  @Mixin BindOption bind;

  @Mixin MetricsOptions metrics;

  @Spec CommandSpec spec;

  static Path defaultSecretsDir() {
    return Path.of(System.getProperty("user.home"), ".streamsight", "connect-secrets");
  }

  @Override
  public Integer call() {
    String address = bind.address(spec.commandLine());
    if (port < 0 || port > 65535) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--port must be 0..65535, got " + port);
    }
    BindOption.warn(System.err, address, List.of(CONNECT_REST));
    WorkerSettings settings =
        WorkerSettings.of(bootstrap, secretsDir == null ? defaultSecretsDir() : secretsDir)
            .withListener(address, port)
            .withGroup(group);
    ConnectWorker worker = ConnectWorker.start(settings);
    var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
    io.streamsight.deploy.metrics.SubscriptionMetrics.register(registry);
    var endpoint = metrics.start(spec.commandLine(), registry, MetricsOptions.CONNECT, System.err);
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "connect-shutdown"));
    String url = worker.restUrl().toString().replaceAll("/$", "");
    spec.commandLine()
        .getOut()
        .println("Kafka Connect worker on " + url + " (group " + group + ")");
    spec.commandLine()
        .getOut()
        .println(
            "  REST credential: "
                + RestCredential.file(settings.secretsDir())
                + " (Authorization: Bearer <its content>)");
    spec.commandLine()
        .getOut()
        .println(
            "  subscribe: streamsight subscriptions add --connect "
                + url
                + " --id ID --webhook URL   (or --mqtt tcp://HOST:1883)");
    spec.commandLine().getOut().flush();
    worker.awaitStop();
    endpoint.ifPresent(io.streamsight.metrics.MetricsEndpoint::close);
    return 0;
  }
}
