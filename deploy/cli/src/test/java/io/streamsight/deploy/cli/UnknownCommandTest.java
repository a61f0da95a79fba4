package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An unknown command exits 2 and names it, with or without {@code --help} (issue 23 #8). */
@Timeout(30)
class UnknownCommandTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = StreamsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void anUnknownCommandWithHelpExitsTwoNamingIt() {
    Run r = run("nosuch", "--help");

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("unknown command 'nosuch'"), r.err());
    assertFalse(r.out().contains("Usage:"), "no usage text as if all were well: " + r.out());
  }

  @Test
  void anUnknownCommandWithoutHelpExitsTwoNamingIt() {
    Run r = run("nosuch");

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("unknown command 'nosuch'"), r.err());
  }

  @Test
  void anUnknownSubcommandIsNamedWithItsParent() {
    Run r = run("rules", "nosuch", "--help");

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("streamsight rules: unknown command 'nosuch'"), r.err());
  }

  @Test
  void knownCommandsWithHelpStillPrintTheirUsage() {
    Run top = run("--help");
    Run ask = run("ask", "--help");
    Run help = run("help", "tail");

    assertEquals(0, top.code(), top.err());
    assertTrue(top.out().contains("Usage: streamsight"), top.out());
    assertEquals(0, ask.code(), ask.err());
    assertTrue(ask.out().contains("Usage: streamsight ask"), ask.out());
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().contains("Usage: streamsight tail"), help.out());
  }
}
