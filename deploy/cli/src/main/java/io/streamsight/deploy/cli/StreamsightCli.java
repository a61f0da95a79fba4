package io.streamsight.deploy.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code streamsight} command. Each subcommand is its own class in this package; usage errors
 * exit with code 2 and a message naming the bad option, failures with code 1 and one line saying
 * what failed (stack traces only with {@code STREAMSIGHT_DEBUG=1}).
 */
@Command(
    name = "streamsight",
    mixinStandardHelpOptions = true,
    versionProvider = StreamsightCli.Version.class,
    description = "Event-driven streaming video analytics on Kafka, Flink and ONNX Runtime.",
    subcommands = {
      CommandLine.HelpCommand.class,
      BrokerCommand.class,
      TopicsCommand.class,
      TailCommand.class,
      PublishCommand.class,
      IngestCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      ClusterCommand.class,
      ModelCommand.class,
      VlmCommand.class,
      SamplerCommand.class,
      OperatorCommand.class,
      RulesCommand.class,
      AlertsCommand.class,
      AskCommand.class,
      SummarizeCommand.class,
      ConsoleCommand.class,
      ArchiveCommand.class,
      SearchCommand.class,
      ConnectCommand.class,
      SubscriptionsCommand.class,
      ServeCommand.class,
    })
public final class StreamsightCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** Parses and runs; returns the process exit code. */
  public static int run(String... args) {
    return run(null, null, args);
  }

  /** Same, printing to {@code out} and {@code err} where given (tests capture them). */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine();
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    String unknown = unknownCommand(cli, args);
    if (unknown != null) {
      cli.getErr().println(unknown);
      cli.getErr().flush();
      return 2;
    }
    return cli.execute(args);
  }

  /**
   * Why {@code args} name a command that does not exist, or null. picocli ignores parse errors once
   * {@code --help} is among the arguments, so {@code streamsight nosuch --help} printed the
   * top-level usage and exited 0; this walks the command names first. It stops at the first option
   * (an option's value could look like a command name) and at a command that takes positional
   * parameters ({@code help X}, {@code ask QUESTION}).
   */
  static String unknownCommand(CommandLine cli, String... args) {
    CommandLine cur = cli;
    for (String a : args) {
      if (a.startsWith("-")) {
        return null;
      }
      CommandLine sub = cur.getSubcommands().get(a);
      if (sub != null) {
        cur = sub;
        continue;
      }
      if (cur.getSubcommands().isEmpty()
          || !cur.getCommandSpec().positionalParameters().isEmpty()) {
        return null;
      }
      return cur.getCommandSpec().qualifiedName()
          + ": unknown command '"
          + a
          + "' (commands: "
          + String.join(", ", cur.getSubcommands().keySet())
          + "; see '"
          + cur.getCommandSpec().qualifiedName()
          + " --help')";
    }
    return null;
  }

  /**
   * The configured command tree {@link #run} executes, for callers that need its model or its
   * output in-process (tests that check the documented commands against it).
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new StreamsightCli());
    cli.registerConverter(java.time.Duration.class, new DurationConverter());
    cli.setExecutionExceptionHandler(StreamsightCli::onFailure);
    return cli;
  }

  private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    if (e instanceof BrokerReach.UnreachableException
        && System.getenv("STREAMSIGHT_DEBUG") == null) {
      // One line says it all: the address that did not answer.
      err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    err.println("streamsight " + cmd.getCommandName() + ": " + describe(e));
    if (System.getenv("STREAMSIGHT_DEBUG") != null) {
      e.printStackTrace(err);
    } else {
      err.println("(set STREAMSIGHT_DEBUG=1 for the stack trace)");
    }
    err.flush();
    return 1;
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
        sb.append(": ").append(c.getMessage());
      }
    }
    return sb.toString();
  }

  /** Version from the jar manifest (or "dev" when run from classes). */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = StreamsightCli.class.getPackage().getImplementationVersion();
      return new String[] {"streamsight " + (v == null ? "dev" : v)};
    }
  }
}
