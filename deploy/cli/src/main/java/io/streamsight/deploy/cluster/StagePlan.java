package io.streamsight.deploy.cluster;

import io.streamsight.deploy.cluster.ProcessLauncher.JavaProcess;
import io.streamsight.vlm.operator.inference.EngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline stages {@code cluster up} launches as {@code streamsight <command>} processes:
 * ingest, the samplers and the operator job submitter. Built from the commands this build actually
 * has and the options each declares ({@code commands}: command name to option names), so a stage
 * whose command has not landed is skipped with a note instead of failing, and an option is only
 * passed to a command that declares it.
 */
public final class StagePlan {
  public static final String INGEST = "ingest";
  public static final String SAMPLER = "sampler";
  public static final String OPERATOR = "operator";
  public static final String MODEL_FIXTURE = "model fixture";
  public static final String CONNECT = "connect";

  /** The Connect worker's REST port (alert subscriptions): Kafka Connect's usual one. */
  public static final int CONNECT_PORT = 8083;

  /** The operator job's name on the cluster: also its transactional-id prefix and group. */
  public static final String JOB_NAME = "streamsight-vlm-operator";

  static final String SAVEPOINT_OPTION = "--savepoint";

  private final ClusterOptions options;
  private final ClusterSpec spec;
  private final ClusterLayout layout;
  private final Map<String, Set<String>> commands;
  private final List<String> notes = new ArrayList<>();
  private final FlinkRest.Job activeJob;
  private final Path resumeFrom;

  public StagePlan(
      ClusterOptions options,
      ClusterSpec spec,
      ClusterLayout layout,
      Map<String, Set<String>> commands) {
    this(options, spec, layout, commands, null, null);
  }

  /**
   * @param activeJob the operator job already on the cluster (then none is submitted), or null
   * @param resumeFrom savepoint the new operator job starts from, or null
   */
  public StagePlan(
      ClusterOptions options,
      ClusterSpec spec,
      ClusterLayout layout,
      Map<String, Set<String>> commands,
      FlinkRest.Job activeJob,
      Path resumeFrom) {
    this.options = options;
    this.spec = spec;
    this.layout = layout;
    this.commands = Map.copyOf(commands);
    this.activeJob = activeJob;
    this.resumeFrom = resumeFrom;
  }

  /** Why a stage was skipped, for the progress output. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** The one-shot {@code model fixture --dir} run, when no {@code --model} was given. */
  public Optional<JavaProcess> modelFixture() {
    if (options.model() != null || options.server() != null) {
      return Optional.empty();
    }
    if (java.nio.file.Files.isDirectory(layout.modelDir())) {
      return Optional.empty(); // made by an earlier up
    }
    if (!commands.containsKey(MODEL_FIXTURE)) {
      notes.add("no --model and this build has no 'model fixture' command: no model for the job");
      return Optional.empty();
    }
    return Optional.of(
        stage(
            "model-fixture",
            List.of("model", "fixture", "--dir", layout.modelDir().toString()),
            "-Xmx256m"));
  }

  public Path modelDir() {
    return options.model() != null ? options.model().toAbsolutePath() : layout.modelDir();
  }

  /** Ingest, samplers, then the operator: the order data flows. */
  public List<JavaProcess> pipeline() {
    List<JavaProcess> out = new ArrayList<>();
    ingest().ifPresent(out::add);
    out.addAll(samplers());
    connect().ifPresent(out::add);
    operator().ifPresent(out::add);
    return out;
  }

  Optional<JavaProcess> ingest() {
    if (options.source() == null) {
      notes.add("no --source: not starting ingest (publish frames yourself, or pass --source)");
      return Optional.empty();
    }
    Optional<Set<String>> opts = command(INGEST);
    if (opts.isEmpty()) {
      return Optional.empty();
    }
    List<String> args = new ArrayList<>(List.of(INGEST));
    add(args, opts.get(), List.of("--bootstrap"), spec.bootstrapServers());
    add(args, opts.get(), List.of("--camera"), options.camera());
    if (opts.get().contains("--source-file")) {
      // Every user can read a process's command line (ps); a camera password must not be there.
      add(
          args,
          opts.get(),
          List.of("--source-file"),
          layout.writeSecret(INGEST + "-source", options.source()).toString());
    } else {
      add(args, opts.get(), List.of("--source"), options.source());
    }
    // A file is paced at its native speed, like a camera (live sources ignore the flag).
    if (opts.get().contains("--realtime")) {
      args.add("--realtime");
    }
    return Optional.of(stage(INGEST, args, "-Xmx512m"));
  }

  List<JavaProcess> samplers() {
    Optional<Set<String>> opts = command(SAMPLER);
    if (opts.isEmpty() || options.samplers() == 0) {
      return List.of();
    }
    List<JavaProcess> out = new ArrayList<>();
    for (int i = 1; i <= options.samplers(); i++) {
      String name = SAMPLER + "-" + i;
      List<String> args = new ArrayList<>(List.of(SAMPLER));
      add(args, opts.get(), List.of("--bootstrap"), spec.bootstrapServers());
      // Two Kafka Streams instances on one machine must not share a state directory.
      add(
          args,
          opts.get(),
          List.of("--state-dir", "--state"),
          layout.samplerState().resolve(name).toString());
      out.add(stage(name, args, "-Xmx384m"));
    }
    return out;
  }

  /** A Kafka Connect worker for alert subscriptions (docs/subscriptions.md). */
  Optional<JavaProcess> connect() {
    Optional<Set<String>> opts = command(CONNECT);
    if (opts.isEmpty()) {
      return Optional.empty();
    }
    List<String> args = new ArrayList<>(List.of(CONNECT));
    add(args, opts.get(), List.of("--bootstrap"), spec.bootstrapServers());
    add(args, opts.get(), List.of("--port"), Integer.toString(CONNECT_PORT));
    add(args, opts.get(), List.of("--secrets-dir"), connectSecrets().toString());
    if (!ClusterSpec.LOOPBACK.equals(options.bind())) {
      add(args, opts.get(), List.of("--bind"), options.bind());
    }
    return Optional.of(stage(CONNECT, args, "-Xmx384m"));
  }

  /** Where {@code subscriptions add} must write secrets for the cluster's worker. */
  public Path connectSecrets() {
    return layout.connectSecrets();
  }

  Optional<JavaProcess> operator() {
    if (activeJob != null) {
      notes.add(
          "Flink job '"
              + activeJob.name()
              + "' is already "
              + activeJob.state()
              + " ("
              + activeJob.id()
              + "): not submitting another");
      return Optional.empty();
    }
    Optional<Set<String>> opts = command(OPERATOR);
    if (opts.isEmpty()) {
      return Optional.empty();
    }
    if (options.server() == null && !java.nio.file.Files.isDirectory(modelDir())) {
      notes.add("no model at " + modelDir() + ": not submitting the operator job");
      return Optional.empty();
    }
    if (!opts.get().contains("--jobmanager")) {
      notes.add("this build's 'operator' command has no --jobmanager: not submitting the job");
      return Optional.empty();
    }
    List<String> args = new ArrayList<>(List.of(OPERATOR));
    add(args, opts.get(), List.of("--bootstrap"), spec.bootstrapServers());
    if (options.server() != null) {
      add(args, opts.get(), List.of("--model"), options.server().baseUrl());
      if (options.server().model() != null) {
        add(args, opts.get(), List.of("--model-name"), options.server().model());
      }
      if (options.server().apiKeyFile() != null) {
        add(args, opts.get(), List.of("--api-key-file"), options.server().apiKeyFile());
      }
    } else {
      add(args, opts.get(), List.of("--model"), modelDir().toString());
    }
    add(args, opts.get(), List.of("--jobmanager"), spec.clientHost() + ":" + spec.flinkRestPort());
    add(args, opts.get(), List.of("--name"), JOB_NAME);
    if (resumeFrom != null) {
      add(args, opts.get(), List.of(SAVEPOINT_OPTION), resumeFrom.toUri().toString());
    }
    EngineOptions engine = options.engine();
    add(args, opts.get(), List.of("--variant"), engine.variant().cliName());
    add(args, opts.get(), List.of("--provider"), engine.provider().name().toLowerCase(Locale.ROOT));
    if (!engine.tensorRtFp16() && opts.get().contains("--tensorrt-fp16")) {
      args.add("--no-tensorrt-fp16");
    }
    return Optional.of(stage(OPERATOR, args, "-Xmx512m"));
  }

  private Optional<Set<String>> command(String name) {
    Set<String> opts = commands.get(name);
    if (opts == null) {
      notes.add("this build has no '" + name + "' command yet: not starting it");
    }
    return Optional.ofNullable(opts);
  }

  /** Adds {@code name value} with the first of {@code names} the command declares. */
  private static void add(List<String> args, Set<String> declared, List<String> names, String v) {
    names.stream()
        .filter(declared::contains)
        .findFirst()
        .ifPresent(
            n -> {
              args.add(n);
              args.add(v);
            });
  }

  private static JavaProcess stage(String name, List<String> args, String heap) {
    List<String> jvm = new ArrayList<>(List.of(heap));
    jvm.addAll(FlinkConf.JAVA17_OPENS); // the operator submitter and stages run Flink/Kryo code
    return new JavaProcess(name, Distribution.MAIN, jvm, args, ClusterProcesses.CHILD_ENV);
  }
}
