package io.streamsight.deploy.cli;

import io.streamsight.console.AccessToken;
import io.streamsight.console.ConsoleConfig;
import io.streamsight.console.ConsoleServer;
import io.streamsight.console.ConsoleServing;
import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.deploy.console.ArchiveSearchBackend;
import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamsight console}: the web page and JSON API over the topics, until Ctrl-C. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the console: a web page (live cameras, alerts, questions, rules, search,"
          + " subscriptions) and its JSON API (/api, described at /api/openapi.json).",
      "Reads are open to whoever reaches the port (127.0.0.1 unless --bind); every write needs"
          + " the bearer token, generated into --data on first start and printed once."
    })
public final class ConsoleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
  String bootstrap;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data",
      description = "Where the token is kept (default: ~/.streamsight/console).")
  Path data;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Use the token in FILE instead of generating one.")
  Path tokenFile;

  @Option(
      names = "--archive",
      paramLabel = "DIR",
      description = "Archive directory for search (without it, search answers 503).")
  Path archive;

  @Option(
      names = "--connect",
      paramLabel = "URL",
      description =
          "Kafka Connect worker running the subscriptions (e.g. http://127.0.0.1:8083), for the"
              + " subscriptions page (without it, that page answers 503).")
  java.net.URI connect;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "console.yaml: deadlines, connection and queue limits, live-view bytes and host names"
              + " (docs/configuration.md); without it every key has its default.")
  Path configFile;

  @Option(
      names = "--host-name",
      paramLabel = "NAME",
      description =
          "A host name the console answers to besides localhost and the --bind address (e.g."
              + " the name browsers use to reach it); repeatable, added to hostNames of --config."
              + " Any other Host header gets a 421.")
  List<String> hostNames = new java.util.ArrayList<>();

  @Mixin BindOption bind;

  @Mixin MetricsOptions metrics;

  static final String CONSOLE =
      "the console (anyone can read cameras, summaries, alerts and images; writes need its token)";

  @Override
  public Integer call() throws Exception {
    String address = bind.address(spec.commandLine());
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port: " + port + " is not 1 to 65535");
    }
    Path dir =
        data != null ? data : Path.of(System.getProperty("user.home"), ".streamsight", "console");
    ConsoleServing serving;
    try {
      serving =
          configFile == null
              ? ConsoleServing.defaults()
              : ConfigBinder.bind(configFile, ConsoleServing.class);
      List<String> names = new java.util.ArrayList<>(serving.hostNames());
      names.addAll(hostNames);
      serving = serving.withHostNames(names);
    } catch (ConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ConsoleConfig config =
        ConsoleConfig.defaults(bootstrap, dir)
            .withBind(address, port)
            .withTokenFile(tokenFile)
            .withServing(serving);
    AccessToken token =
        tokenFile != null ? AccessToken.fromFile(tokenFile) : AccessToken.loadOrCreate(dir);
    BindOption.warn(System.err, address, List.of(CONSOLE));
    try (SearchBackend search = search(archive);
        ConsoleServer server = ConsoleServer.start(config, token, search, subscriptions(connect))) {
      printUrl(System.out, server, token);
      var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
      var endpoint =
          metrics.start(spec.commandLine(), registry, MetricsOptions.CONSOLE, System.err);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> endpoint.ifPresent(io.streamsight.metrics.MetricsEndpoint::close),
                  "console-metrics-stop"));
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "console-stop"));
      stop.await();
    }
    return 0;
  }

  static SubscriptionsBackend subscriptions(java.net.URI connect) {
    return connect == null
        ? SubscriptionsBackend.NOT_CONFIGURED
        : new io.streamsight.deploy.console.ConnectSubscriptionsBackend(connect);
  }

  /**
   * The search behind the page: the archive in {@code DIR}, read beside the process that writes it
   * (each search sees its latest commit), or none.
   */
  static SearchBackend search(Path archive) {
    if (archive == null) {
      return SearchBackend.NOT_CONFIGURED;
    }
    return ArchiveSearchBackend.open(archive);
  }

  /**
   * Prints where the console is. A token generated just now is printed this once, inside the URL's
   * fragment (browsers never send a fragment to a server, so it reaches no log).
   */
  public static void printUrl(PrintStream out, ConsoleServer server, AccessToken token) {
    if (token.created()) {
      out.println("console: " + server.url() + "#token=" + token.reveal());
      out.println(
          "  (a new token, shown only this once; it is kept in " + token.file() + ", mode 0600)");
    } else {
      out.println("console: " + server.url() + "  (token in " + token.file() + ")");
    }
  }
}
