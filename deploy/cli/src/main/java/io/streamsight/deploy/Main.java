package io.streamsight.deploy;

import io.streamsight.deploy.cli.StreamsightCli;

/** Entry point of the {@code streamsight} launcher: wiring only, see {@link StreamsightCli}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(StreamsightCli.run(args));
  }
}
