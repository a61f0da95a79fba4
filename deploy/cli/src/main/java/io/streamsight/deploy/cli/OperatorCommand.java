package io.streamsight.deploy.cli;

import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.operator.OperatorLauncher;
import io.streamsight.vlm.operator.OperatorLauncher.Launch;
import io.streamsight.vlm.operator.OperatorLauncher.Target;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamsight operator}: the VLM operator Flink job. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Run the VLM operator job: keyframes -> windows -> summaries, alerts and answers.",
      "--local runs it in this process (until stopped; its Flink REST endpoint on 127.0.0.1",
      "unless --bind); --jobmanager submits it to a running",
      "Flink cluster and returns; neither uses the environment Flink provides (flink run,",
      "application mode). The model directory must exist at the same path on every worker, and",
      "hold the --variant's files (checked before the job is submitted). --model may instead be",
      "an OpenAI-compatible server's base URL (http(s)://host:port/v1); models declared under",
      "'models:' in --config are routed per task and camera (docs/models.md)."
    })
public final class OperatorCommand implements Callable<Integer> {
  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
  String bootstrap;

  @Mixin ModelChoiceOptions model;

  @Option(names = "--config", description = "operator.yaml (windows, K, instructions, batching).")
  Path config;

  @Option(
      names = "--name",
      defaultValue = "streamsight-vlm-operator",
      description =
          "Job name, consumer group and transactional-id prefix (default: ${DEFAULT-VALUE}).")
  String name;

  @Mixin EngineChoiceOptions engine;

  @Option(
      names = "--savepoint",
      paramLabel = "PATH",
      description = "Start from this savepoint (cluster up passes the one cluster down took).")
  String savepoint;

  @ArgGroup(exclusive = true)
  Where where;

  // Only the in-process MiniCluster's REST endpoint: a remote cluster binds what its own config
  // says.
  @Mixin BindOption bind;

  // --local only: the port (or a range, e.g. 9403-9410) of Flink's Prometheus reporter in the
  // MiniCluster; a remote cluster reports as its own flink-conf says (cluster up sets it).
  @Mixin MetricsOptions metrics;

  @Spec CommandSpec spec;

  static final class Where {
    @Option(names = "--local", description = "Run on an in-process Flink MiniCluster.")
    boolean local;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT", description = "Flink REST address.")
    String jobManager;
  }

  @Override
  public Integer call() throws Exception {
    Target target = where == null ? Target.CONTEXT : where.local ? Target.LOCAL : Target.REMOTE;
    String address = bind.address(spec.commandLine());
    if (target != Target.LOCAL && !address.equals(BindOption.LOOPBACK)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--bind applies to --local only (the Flink REST endpoint it starts)");
    }
    BindOption.warn(System.err, address, java.util.List.of(BindOption.FLINK_REST));
    ModelChoiceOptions.Choice chosen = model.resolve(spec.commandLine());
    if (!chosen.given() && config == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--model is required unless --config declares models");
    }
    JobClient job =
        OperatorLauncher.start(
            new Launch(
                bootstrap,
                chosen.dir(),
                config,
                target,
                where == null ? null : where.jobManager,
                name,
                engine.toEngineOptions(ModelVariant.FP32),
                address,
                savepoint,
                chosen.server(),
                metrics.bind(spec.commandLine()),
                target == Target.LOCAL && metrics.enabled(MetricsOptions.OPERATOR)
                    ? String.valueOf(metrics.port(MetricsOptions.OPERATOR))
                    : null));
    if (target == Target.LOCAL && metrics.enabled(MetricsOptions.OPERATOR)) {
      System.err.println(
          "metrics: Flink's Prometheus reporter on http://"
              + metrics.bind(spec.commandLine())
              + ":"
              + metrics.port(MetricsOptions.OPERATOR)
              + "/metrics");
    }
    System.out.println("operator job " + job.getJobID() + " submitted (" + target + ")");
    if (target != Target.REMOTE) {
      job.getJobExecutionResult().get();
    }
    return 0;
  }
}
