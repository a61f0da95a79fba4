package io.streamsight.deploy.cli;

import io.streamsight.vlm.remote.RemoteModelConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --model-name} and {@code --api-key-file}, shared by {@code operator},
 * {@code demo}, {@code summarize} and {@code cluster up}: a directory means the in-process engine
 * on that model, an {@code http(s)://host:port/v1} base URL an OpenAI-compatible server (vLLM,
 * Ollama, llama.cpp, OpenAI, {@code streamsight serve}...). Checked here, where a mistake is a
 * usage error (exit 2) naming the option, instead of a failure on every TaskManager.
 */
public final class ModelChoiceOptions {
  @Option(
      names = "--model",
      paramLabel = "DIR|URL",
      description =
          "Model directory (in process), or the base URL of an OpenAI-compatible server, e.g."
              + " http://gpu-box:8000/v1.")
  String model;

  @Option(
      names = "--model-name",
      paramLabel = "NAME",
      description = "With a server --model: the model to ask for (default: the server's only one).")
  String modelName;

  @Option(
      names = "--api-key-file",
      paramLabel = "FILE",
      description =
          "With a server --model: file whose first line is the API key (read where the model is"
              + " opened; the key never travels with the job).")
  Path apiKeyFile;

  /** What {@code --model} named: a directory, a server, or nothing. */
  public record Choice(Path dir, RemoteModelConfig server) {
    public boolean given() {
      return dir != null || server != null;
    }
  }

  /** Validates the options; a bad value is a {@link CommandLine.ParameterException} (exit 2). */
  public Choice resolve(CommandLine cl) {
    if (model == null) {
      if (modelName != null || apiKeyFile != null) {
        throw new CommandLine.ParameterException(
            cl,
            (modelName != null ? "--model-name" : "--api-key-file") + " needs a server --model");
      }
      return new Choice(null, null);
    }
    String m = model.trim();
    if (m.contains("://")) {
      return new Choice(null, server(cl, m));
    }
    if (modelName != null || apiKeyFile != null) {
      throw new CommandLine.ParameterException(
          cl,
          (modelName != null ? "--model-name" : "--api-key-file")
              + " applies to a server --model (http(s)://...), not to a directory");
    }
    Path dir = Path.of(m);
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(
          cl, "--model: no such directory: " + dir + " (or give a server's http(s):// URL)");
    }
    return new Choice(dir, null);
  }

  private RemoteModelConfig server(CommandLine cl, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new CommandLine.ParameterException(cl, "--model: not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new CommandLine.ParameterException(
          cl, "--model: a server URL must be http:// or https://, got " + scheme + "://");
    }
    if (uri.getHost() == null || uri.getUserInfo() != null) {
      // No credentials in the URL: it is logged and shown by Flink; keys go in --api-key-file.
      throw new CommandLine.ParameterException(
          cl,
          "--model: "
              + (uri.getHost() == null
                  ? "a server URL needs a host"
                  : "no credentials in the URL; use --api-key-file"));
    }
    if (apiKeyFile != null && !Files.isReadable(apiKeyFile)) {
      throw new CommandLine.ParameterException(cl, "--api-key-file: cannot read " + apiKeyFile);
    }
    RemoteModelConfig d = RemoteModelConfig.of(url, modelName);
    return new RemoteModelConfig(
        d.baseUrl(),
        d.model(),
        apiKeyFile == null ? null : apiKeyFile.toAbsolutePath().toString(),
        d.apiKeyEnv(),
        d.maxConcurrent(),
        d.timeout(),
        d.maxRetries(),
        d.maxBackoff(),
        d.maxImages(),
        d.maxImageEdge(),
        d.breakerFailures(),
        d.breakerOpenFor());
  }
}
