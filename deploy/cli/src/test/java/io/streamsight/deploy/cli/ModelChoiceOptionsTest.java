package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.remote.RemoteModelConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --model DIR|URL}, {@code --model-name}, {@code --api-key-file} of operator, demo,
 * summarize and cluster up: checked before anything starts, a mistake is exit 2 naming the option.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ModelChoiceOptionsTest {
  @TempDir Path tmp;

  private record Run(int code, String err) {}

  private static Run run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(StreamsightCli.run(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  private static ModelChoiceOptions.Choice choice(String... args) {
    OperatorCommand cmd = new OperatorCommand();
    CommandLine cl = new CommandLine(cmd);
    String[] all = new String[args.length + 2];
    all[0] = "--bootstrap";
    all[1] = "127.0.0.1:1";
    System.arraycopy(args, 0, all, 2, args.length);
    cl.parseArgs(all);
    return cmd.model.resolve(cl);
  }

  @Test
  void aDirectoryIsInProcessAndAnHttpUrlIsAServer() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("model"));
    Path key = Files.writeString(tmp.resolve("key"), "sk-test\n");
    ModelChoiceOptions.Choice local = choice("--model", dir.toString());
    assertEquals(dir, local.dir());
    assertNull(local.server());

    RemoteModelConfig s =
        choice(
                "--model",
                "http://gpu-box:8000/v1",
                "--model-name",
                "Qwen/Qwen2.5-VL-7B-Instruct",
                "--api-key-file",
                key.toString())
            .server();
    assertEquals("http://gpu-box:8000/v1", s.baseUrl());
    assertEquals("Qwen/Qwen2.5-VL-7B-Instruct", s.model());
    assertEquals(key.toAbsolutePath().toString(), s.apiKeyFile(), "where the key is, not the key");
    assertNull(choice("--model", "https://api.openai.com/v1").server().model());
  }

  @Test
  void aBadModelIsAUsageErrorNamingTheOption() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("m"));
    Run r = run("operator", "--bootstrap", "h:1", "--model", "ftp://gpu-box/v1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--model: a server URL must be http:// or https://"), r.err());
    r = run("operator", "--bootstrap", "h:1", "--model", tmp.resolve("absent").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--model: no such directory"), r.err());
    r = run("demo", "--model", "http://user:pw@gpu-box:8000/v1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no credentials in the URL"), r.err());
    r = run("summarize", "video.mp4", "--model", tmp.resolve("absent").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--model: no such directory"), r.err());
    r = run("cluster", "up", "--model", "file:///models/x");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--model: a server URL must be"), r.err());
    r =
        run(
            "operator",
            "--bootstrap",
            "h:1",
            "--model",
            "http://gpu-box:8000/v1",
            "--api-key-file",
            tmp.resolve("no-key").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--api-key-file: cannot read"), r.err());
    r = run("operator", "--bootstrap", "h:1", "--model", dir.toString(), "--model-name", "x");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--model-name applies to a server --model"), r.err());
    r = run("operator", "--bootstrap", "h:1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--model is required unless --config declares models"), r.err());
  }
}
