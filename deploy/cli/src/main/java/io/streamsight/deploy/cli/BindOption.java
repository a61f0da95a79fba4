package io.streamsight.deploy.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --bind ADDRESS}: the one way to open a server this CLI starts beyond this machine.
 * Everything listens on 127.0.0.1 otherwise. None of these servers authenticates anyone, so opening
 * one prints a warning naming what became reachable.
 */
public final class BindOption {
  public static final String LOOPBACK = "127.0.0.1";

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description =
          "Listen on ADDRESS (an IP of this machine, or 0.0.0.0 for all) instead of 127.0.0.1."
              + " Opens unauthenticated servers to the network; see docs/security.md.")
  String address;

  /** The address to bind, validated: {@link #LOOPBACK} when not given. */
  public String address(CommandLine cl) {
    if (address == null) {
      return LOOPBACK;
    }
    String a = address.trim().replaceAll("^\\[(.*)]$", "$1");
    if (!a.matches("[0-9.]+|[0-9a-fA-F.]*:[0-9a-fA-F:.]*")) {
      // A host name would be resolved once here and maybe differently by each server.
      throw new CommandLine.ParameterException(cl, "--bind must be an IP address, got '" + a + "'");
    }
    try {
      InetAddress.getByName(a);
    } catch (UnknownHostException e) {
      throw new CommandLine.ParameterException(cl, "--bind: not an IP address: '" + a + "'");
    }
    return a;
  }

  /** Whether {@code address} reaches beyond this machine. */
  public static boolean exposed(String address) {
    try {
      return !InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return true;
    }
  }

  /**
   * Prints one warning line naming what {@code address} exposes, when it is not loopback.
   *
   * @param what each server and what a stranger can do with it
   */
  public static void warn(PrintStream err, String address, List<String> what) {
    if (exposed(address)) {
      err.println(
          "WARNING: --bind "
              + address
              + ": reachable from the network without authentication: "
              + String.join("; ", what)
              + ". Use a firewall, or drop --bind to keep everything on 127.0.0.1.");
    }
  }

  static final String KAFKA = "the Kafka broker (anyone can read and write every topic)";
  static final String FLINK_REST =
      "the Flink REST API and web UI (anyone can upload a jar and run code on this machine)";
}
