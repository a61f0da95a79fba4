package io.streamsight.deploy.cli;

import io.streamsight.console.AccessToken;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.EngineOptions;
import io.streamsight.vlm.serve.ServeConfig;
import io.streamsight.vlm.serve.ServeServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamsight serve}: the engine behind an OpenAI-compatible HTTP API, until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a model directory over the OpenAI Chat Completions API (POST /v1/chat/completions"
          + " with image_url data URLs, logprobs and top_logprobs; GET /v1/models; GET /health),"
          + " batching concurrent requests into engine runs. Any OpenAI client can use it.",
      "Listens on 127.0.0.1 unless --bind; bound elsewhere every request needs the bearer token"
          + " (--token-file, or generated into --data on first start and printed once)."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  Path model;

  @Option(
      names = "--model-name",
      paramLabel = "NAME",
      description = "The model id clients send as 'model' (default: the directory's name).")
  String modelName;

  @Mixin EngineChoiceOptions engine;

  @Option(
      names = "--port",
      defaultValue = "8000",
      description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port;

  @Mixin BindOption bind;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Require the bearer token in FILE (also on loopback).")
  Path tokenFile;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Where a generated token is kept (default: ~/.streamsight/serve).")
  Path data;

  static final String SERVE =
      "the model server (needs its token; anyone with it can run the model)";

  @Override
  public Integer call() throws Exception {
    String address = bind.address(spec.commandLine());
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port: " + port + " is not 0 to 65535");
    }
    if (!Files.isDirectory(model)) {
      throw new ParameterException(spec.commandLine(), "--model: " + model + " is not a directory");
    }
    EngineOptions options = engine.toEngineOptions(ModelVariant.FP32);
    VlmEngine.check(model, options.variant()); // names a missing file before anything starts
    String name =
        modelName != null ? modelName : model.toAbsolutePath().normalize().getFileName().toString();
    AccessToken token = token(address);
    PrintWriter out = spec.commandLine().getOut();
    EngineModelProvider provider =
        new EngineModelProvider(model.toAbsolutePath().toString(), options, 0);
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(stop::countDown, "serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (ServeServer server =
        ServeServer.start(
            ServeConfig.defaults(name).withBind(address, port), token, provider::open)) {
      out.println("serve: loading " + name + " from " + model + " (" + options + ") ...");
      out.flush();
      server.awaitReady(Duration.ofMinutes(10));
      out.println("serve: model " + name + " at " + server.baseUrl() + "  (Ctrl-C stops)");
      printToken(out, token);
      out.flush();
      stop.await();
    } catch (InterruptedException e) {
      // stopped by whoever runs the command in-process, like Ctrl-C: a clean stop
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running
      }
    }
    return 0;
  }

  /** A token when one was given or the server is exposed; none on plain loopback. */
  private AccessToken token(String address) throws java.io.IOException {
    if (tokenFile != null) {
      return AccessToken.fromFile(tokenFile);
    }
    if (!BindOption.exposed(address)) {
      return null;
    }
    Path dir =
        data != null ? data : Path.of(System.getProperty("user.home"), ".streamsight", "serve");
    return AccessToken.loadOrCreate(dir);
  }

  /** A token generated just now is printed this once; otherwise only where it is kept. */
  private static void printToken(PrintWriter out, AccessToken token) {
    if (token == null) {
      out.println("  no token needed on loopback (any local program can use it)");
    } else if (token.created()) {
      out.println("  API key (bearer token), shown only this once: " + token.reveal());
      out.println("  (kept in " + token.file() + ", mode 0600)");
    } else {
      out.println("  API key (bearer token) in " + token.file());
    }
  }
}
