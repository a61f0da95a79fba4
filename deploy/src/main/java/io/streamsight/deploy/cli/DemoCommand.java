package io.streamsight.deploy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the demo issue lands. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the whole pipeline on one machine (embedded broker, sampler, operator).")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println(
        "streamsight demo: not yet available. Try `streamsight broker` and `streamsight tail`.");
    return 0;
  }
}
