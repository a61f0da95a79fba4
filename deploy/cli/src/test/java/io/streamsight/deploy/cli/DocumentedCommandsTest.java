package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every {@code ./streamsight ...} example in README.md and docs/ names a command this build has and
 * only options that command declares, and that command's {@code --help} renders. Examples are the
 * lines of fenced code blocks and inline code spans that start a {@code streamsight} command; the
 * command tree is the real one ({@link StreamsightCli#commandLine()}), run in this JVM.
 *
 * <p>The doc notation is understood, not parsed as shell: {@code [--opt X]} is an optional part,
 * {@code a|b} lists alternatives (an option must belong to at least one), {@code ... | model
 * fixture ...} starts another command, {@code #} starts a comment, {@code DIR}, {@code <port>} and
 * {@code ...} are placeholders.
 */
@Timeout(60)
class DocumentedCommandsTest {
  private static final Path REPO = Path.of("../..");
  private static final Pattern INLINE = Pattern.compile("`((?:\\./)?streamsight [^`]+)`");
  private static final Pattern IN_BLOCK = Pattern.compile("(?:^|\\s)(\\./streamsight(?:\\s.*)?)$");

  // One command tree for all checks (building it per example costs seconds); picocli resets a
  // command's options before each execute, so the --help runs do not leak into each other.
  private static final StringWriter OUT = new StringWriter();
  private static final StringWriter ERR = new StringWriter();
  private static final CommandLine CLI =
      StreamsightCli.commandLine()
          .setOut(new PrintWriter(OUT, true))
          .setErr(new PrintWriter(ERR, true));

  /** One documented command line and where it is written. */
  record Example(String where, String text) {}

  @Test
  void everyDocumentedCommandAndOptionExists() throws IOException {
    List<Example> examples = examples();
    List<String> problems = new ArrayList<>();
    for (Example e : examples) {
      problems.addAll(check(e));
    }
    assertTrue(examples.size() > 20, "too few examples found: " + examples);
    assertTrue(
        problems.isEmpty(),
        "Documented commands that do not match the CLI:\n  " + String.join("\n  ", problems));
  }

  @Test
  void flagsAnUnknownCommandAndAnUnknownOptionNamingTheLine() {
    assertEquals(
        List.of(
            "README.md:7: `./streamsight cluster start --dir x`: 'streamsight cluster' has no"
                + " command 'start' (it has: down, status, up)"),
        check(new Example("README.md:7", "./streamsight cluster start --dir x")));
    List<String> problems =
        check(new Example("docs/x.md:3", "./streamsight cluster up --dir x --replicas 3"));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).startsWith("docs/x.md:3: ")
            && problems.get(0).contains("--replicas is not an option of 'streamsight cluster up'"),
        problems.get(0));
  }

  @Test
  void understandsTheDocNotation() {
    for (String ok :
        List.of(
            "./streamsight cluster up|status|down                    # see docs/cluster.md",
            "./streamsight vlm describe|ask --model DIR --image a.jpg [--question Q] [--json]",
            "./streamsight model pull [REPO] | model fixture --dir DIR",
            "./streamsight tail vlm.summaries --bootstrap=127.0.0.1:9092 --max 10",
            "./streamsight ask --camera cam-7 \"What is --happening?\"",
            "./streamsight rules list|rm ...")) {
      assertEquals(List.of(), check(new Example("t:1", ok)), ok);
    }
    assertEquals(1, check(new Example("t:1", "./streamsight model pull|fixture --nope")).size());
  }

  /** Examples from README.md and every docs/**.md, in file and line order. */
  private static List<Example> examples() throws IOException {
    List<Path> files = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(REPO.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Example> out = new ArrayList<>();
    for (Path f : files) {
      String name = REPO.relativize(f).toString();
      List<String> lines = Files.readAllLines(f);
      boolean inBlock = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String where = name + ":" + (i + 1);
        if (line.strip().startsWith("```")) {
          inBlock = !inBlock;
        } else if (inBlock) {
          // Only ./streamsight in blocks: captured output also mentions "streamsight ..." in prose.
          Matcher m = IN_BLOCK.matcher(line);
          if (m.find()) {
            out.add(new Example(where, m.group(1)));
          }
        } else {
          Matcher m = INLINE.matcher(line);
          while (m.find()) {
            out.add(new Example(where, m.group(1)));
          }
        }
      }
    }
    return out;
  }

  /** What is wrong with one example; empty when it matches the CLI. */
  static List<String> check(Example e) {
    List<String> problems = new ArrayList<>();
    List<String> tokens = tokens(e.text());
    // "a ... | b ..." documents two command lines; the ones after '|' omit the program name.
    List<List<String>> commands = new ArrayList<>(List.of(new ArrayList<>()));
    for (String t : tokens.subList(1, tokens.size())) {
      if (t.equals("|")) {
        commands.add(new ArrayList<>());
      } else {
        commands.get(commands.size() - 1).add(t);
      }
    }
    for (List<String> command : commands) {
      problems.addAll(checkCommand(e, command));
    }
    return problems;
  }

  private static List<String> checkCommand(Example e, List<String> args) {
    CommandSpec root = CLI.getCommandSpec();
    // Walk the command path; "a|b" branches into each alternative.
    List<List<String>> paths = new ArrayList<>(List.of(List.of()));
    List<CommandSpec> specs = new ArrayList<>(List.of(root));
    int i = 0;
    for (; i < args.size(); i++) {
      String t = args.get(i);
      CommandSpec first = specs.get(0);
      boolean placeholder = t.equals("...") || t.startsWith("<") || t.matches("[A-Z_]+");
      if (t.startsWith("-") || placeholder || first.subcommands().isEmpty()) {
        break;
      }
      List<String> names = List.of(t.split("\\|"));
      boolean known = names.stream().allMatch(n -> first.subcommands().containsKey(n));
      if (!known && !first.positionalParameters().isEmpty()) {
        break; // an argument of a command that has both subcommands and arguments
      }
      if (!known) {
        String missing =
            names.stream().filter(n -> !first.subcommands().containsKey(n)).findFirst().get();
        return List.of(
            String.format(
                "%s: `%s`: '%s' has no command '%s' (it has: %s)",
                e.where(),
                e.text(),
                first.qualifiedName(),
                missing,
                String.join(", ", new TreeSet<>(first.subcommands().keySet()))));
      }
      List<List<String>> nextPaths = new ArrayList<>();
      List<CommandSpec> nextSpecs = new ArrayList<>();
      for (int k = 0; k < specs.size(); k++) {
        for (String n : names) {
          List<String> p = new ArrayList<>(paths.get(k));
          p.add(n);
          nextPaths.add(p);
          nextSpecs.add(specs.get(k).subcommands().get(n).getCommandSpec());
        }
      }
      paths = nextPaths;
      specs = nextSpecs;
    }

    List<String> problems = new ArrayList<>();
    for (List<String> path : paths) {
      String help = help(path);
      if (help != null) {
        problems.add(String.format("%s: `%s`: %s", e.where(), e.text(), help));
      }
    }
    for (String t : args.subList(i, args.size())) {
      if (t.equals("--")) {
        break;
      }
      if (!t.startsWith("-") || t.equals("-") || Character.isDigit(t.charAt(1))) {
        continue;
      }
      String name = t.contains("=") ? t.substring(0, t.indexOf('=')) : t;
      if (specs.stream()
          .noneMatch(s -> s.findOption(name) != null || s.negatedOptionsMap().containsKey(name))) {
        Set<String> declared = new TreeSet<>();
        specs.forEach(s -> s.options().forEach(o -> declared.add(o.longestName())));
        problems.add(
            String.format(
                "%s: `%s`: %s is not an option of %s (its options: %s)",
                e.where(),
                e.text(),
                name,
                specs.stream()
                    .map(s -> "'" + s.qualifiedName() + "'")
                    .collect(Collectors.joining(" or ")),
                String.join(" ", declared)));
      }
    }
    return problems;
  }

  /** Runs {@code <path> --help} in-process; null when it printed usage and exited 0. */
  private static synchronized String help(List<String> path) {
    OUT.getBuffer().setLength(0);
    ERR.getBuffer().setLength(0);
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    int rc = CLI.execute(args.toArray(String[]::new));
    if (rc != 0 || !OUT.toString().contains("Usage:")) {
      return "'streamsight " + String.join(" ", args) + "' exited " + rc + ": " + ERR;
    }
    return null;
  }

  /**
   * Shell-like words: quotes group (and stay), a '#' word starts a comment, brackets of optional
   * parts are dropped.
   */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        word.append(c);
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        word.append(c); // kept, so a quoted word is never taken for a command or an option
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '#' && !inWord) {
        break;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out.stream().map(t -> t.replaceAll("^\\[+|]+$", "")).filter(t -> !t.isEmpty()).toList();
  }
}
