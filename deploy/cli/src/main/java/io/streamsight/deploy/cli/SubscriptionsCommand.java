package io.streamsight.deploy.cli;

import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.client.Subscription;
import io.streamsight.sinks.connect.client.SubscriptionException;
import io.streamsight.sinks.connect.client.SubscriptionView;
import io.streamsight.sinks.connect.client.SubscriptionsClient;
import io.streamsight.sinks.connect.webhook.WebhookSecret;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamsight subscriptions add|list|status|rm}: alert subscriptions (webhooks, MQTT) as
 * connectors on a Connect worker ({@code streamsight connect}). The logic is in {@link
 * SubscriptionsClient}; this class parses options and prints.
 */
@Command(
    name = "subscriptions",
    mixinStandardHelpOptions = true,
    description =
        "Deliver alerts (and summaries) to webhooks and MQTT brokers through a Connect worker.",
    subcommands = {
      SubscriptionsCommand.Add.class,
      SubscriptionsCommand.ListSubscriptions.class,
      SubscriptionsCommand.Status.class,
      SubscriptionsCommand.Remove.class
    })
public final class SubscriptionsCommand {

  /** Options every subcommand shares: where the worker is. */
  static class Worker {
    @Option(
        names = "--connect",
        defaultValue = "http://127.0.0.1:8083",
        description = "The Connect worker's REST API (default: ${DEFAULT-VALUE}).")
    URI connect;

    @Option(
        names = "--secrets-dir",
        description =
            "The worker's secrets directory: secrets are written there and the worker's REST"
                + " credential read from it (default: ~/.streamsight/connect-secrets; must be the"
                + " one the worker was started with).")
    Path secretsDir;

    SubscriptionsClient client() {
      return new SubscriptionsClient(
          connect, secretsDir == null ? ConnectCommand.defaultSecretsDir() : secretsDir);
    }
  }

  static final class Target {
    @Option(names = "--webhook", paramLabel = "URL", description = "Deliver by HTTP POST to URL.")
    String webhook;

    @Option(
        names = "--mqtt",
        paramLabel = "tcp://H:P",
        description = "Publish to this MQTT broker.")
    String mqtt;
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add or replace a subscription. A webhook URL whose host resolves to a loopback, private,"
            + " link-local or multicast address is refused (exit 2) unless --allow-private.",
        "Without --secret or --secret-file a webhook secret is generated and printed once."
      })
  static final class Add implements Callable<Integer> {
    @Mixin Worker worker;

    @Option(names = "--id", required = true, description = "Subscription id (A-Z a-z 0-9 . _ -).")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(
        names = "--secret",
        description =
            "Webhook signing secret whsec_<base64> (prefer --secret-file: argv is visible).")
    String secret;

    @Option(names = "--secret-file", description = "File holding the webhook secret.")
    Path secretFile;

    @Option(names = "--mqtt-user", description = "MQTT user name.")
    String mqttUser;

    @Option(names = "--mqtt-password-file", description = "File holding the MQTT password.")
    Path mqttPasswordFile;

    @Option(
        names = "--camera",
        defaultValue = "*",
        description = "Camera glob (default: ${DEFAULT-VALUE}).")
    String camera;

    @Option(
        names = "--min-severity",
        defaultValue = "LOW",
        description = "LOW, MEDIUM, HIGH or CRITICAL (default: ${DEFAULT-VALUE}).")
    String minSeverity;

    @Option(
        names = "--topics",
        defaultValue = "alerts",
        split = ",",
        description = "alerts and/or summaries (default: ${DEFAULT-VALUE}).")
    List<String> topics;

    @Option(
        names = "--allow-private",
        description = "Allow a webhook on a private or loopback address (on-prem receivers).")
    boolean allowPrivate;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "Further connector setting, e.g. webhook.max.attempts=20 (repeatable).")
    Map<String, String> extra = new java.util.LinkedHashMap<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Severity severity;
      try {
        severity = Severity.valueOf(minSeverity.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw usage(
            "--min-severity must be LOW, MEDIUM, HIGH or CRITICAL, got '" + minSeverity + "'");
      }
      List<String> topicNames = new ArrayList<>();
      for (String t : topics) {
        switch (t.trim()) {
          case "alerts", "vlm.alerts" -> topicNames.add(Topics.ALERTS.name());
          case "summaries", "vlm.summaries" -> topicNames.add(Topics.SUMMARIES.name());
          default -> throw usage("--topics: '" + t + "' is not alerts or summaries");
        }
      }
      boolean webhook = target.webhook != null;
      if (!webhook && (secret != null || secretFile != null || allowPrivate)) {
        throw usage("--secret, --secret-file and --allow-private are for --webhook");
      }
      if (webhook && (mqttUser != null || mqttPasswordFile != null)) {
        throw usage("--mqtt-user and --mqtt-password-file are for --mqtt");
      }
      Subscription s;
      try {
        s =
            new Subscription(
                id,
                webhook ? Subscription.Kind.WEBHOOK : Subscription.Kind.MQTT,
                webhook ? target.webhook : target.mqtt,
                camera,
                severity,
                topicNames,
                allowPrivate,
                mqttUser,
                extra);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      String key;
      boolean generated = false;
      if (webhook) {
        if (secret != null && secretFile != null) {
          throw usage("give --secret or --secret-file, not both");
        }
        key =
            secret != null ? secret : secretFile != null ? read("--secret-file", secretFile) : null;
        if (key == null) {
          key = WebhookSecret.generate();
          generated = true;
        }
      } else {
        key = mqttPasswordFile == null ? "" : read("--mqtt-password-file", mqttPasswordFile);
      }
      try {
        worker.client().add(s, key);
      } catch (SubscriptionException e) {
        if (e.refused()) {
          throw usage(e.getMessage());
        }
        throw e;
      }
      out.println("Subscription " + id + " added on " + worker.connect + ".");
      if (generated) {
        out.println("Signing secret (shown once; give it to the receiver): " + key);
      }
      out.println("Dead letters go to " + Subscription.deadLetterTopic(id) + ".");
      return 0;
    }

    private String read(String option, Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw usage(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }

    private ParameterException usage(String message) {
      return new ParameterException(spec.commandLine(), message);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List subscriptions.")
  static final class ListSubscriptions implements Callable<Integer> {
    @Mixin Worker worker;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      List<SubscriptionView> all = worker.client().list();
      if (all.isEmpty()) {
        out.println("No subscriptions on " + worker.connect + ".");
        return 0;
      }
      out.printf(
          "%-20s %-8s %-10s %-32s %-14s %-8s %s%n",
          "ID", "KIND", "STATE", "TARGET", "CAMERA", "MIN", "TOPICS");
      for (SubscriptionView v : all) {
        out.printf(
            "%-20s %-8s %-10s %-32s %-14s %-8s %s%n",
            v.id(), v.kind(), v.state(), v.target(), v.cameraGlob(), v.minSeverity(), v.topics());
      }
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "A subscription's state, delivered / retrying / dead-lettered counts, last error.")
  static final class Status implements Callable<Integer> {
    @Mixin Worker worker;

    @Parameters(paramLabel = "ID")
    String id;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Optional<SubscriptionView> found = worker.client().status(id);
      if (found.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println("streamsight subscriptions status: no subscription " + id);
        return 1;
      }
      SubscriptionView v = found.get();
      out.println(
          v.id() + " (" + v.kind().name().toLowerCase(Locale.ROOT) + " to " + v.target() + ")");
      out.println("  state:         " + v.state() + " (tasks " + v.taskStates() + ")");
      out.println(
          "  delivers:      "
              + v.topics()
              + ", camera "
              + v.cameraGlob()
              + ", min severity "
              + v.minSeverity()
              + (v.allowPrivate() ? ", private addresses allowed" : ""));
      if (v.stats() == null) {
        out.println("  counts:        (no task of it runs on this worker)");
      } else {
        out.println(
            "  delivered:     "
                + v.stats().delivered()
                + " (filtered out: "
                + v.stats().filtered()
                + ")");
        out.println("  retrying:      " + v.stats().retrying());
        out.println(
            "  dead-lettered: "
                + v.stats().deadLettered()
                + " (topic "
                + v.deadLetterTopic()
                + ")");
        if (v.stats().lastError() != null) {
          out.println("  last error:    " + v.stats().lastErrorAt() + " " + v.stats().lastError());
        }
      }
      if (v.taskError() != null) {
        out.println("  task failed:   " + v.taskError());
      }
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a subscription.")
  static final class Remove implements Callable<Integer> {
    @Mixin Worker worker;

    @Parameters(paramLabel = "ID")
    String id;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (!worker.client().remove(id)) {
        spec.commandLine().getErr().println("streamsight subscriptions rm: no subscription " + id);
        return 1;
      }
      spec.commandLine().getOut().println("Subscription " + id + " removed.");
      return 0;
    }
  }
}
