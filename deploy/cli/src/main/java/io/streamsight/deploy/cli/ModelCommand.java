package io.streamsight.deploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code streamsight model pull|...}: getting model directories onto this machine. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Fetch or generate model directories for the VLM engine.",
    subcommands = {
      ModelPullCommand.class,
      ModelFixtureCommand.class,
    })
public final class ModelCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing model subcommand");
  }
}
