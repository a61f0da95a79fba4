package io.streamsight.vlm.operator.config;

import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.io.Serializable;

/**
 * One entry of {@code models:}: exactly one of {@code engine} (in process) or {@code server} (an
 * OpenAI-compatible model server), and optionally a token budget.
 */
public record ModelDeclaration(
    @ConfigDoc(value = "An in-process model (ONNX Runtime engine).", unset = "not in process")
        EngineModelConfig engine,
    @ConfigDoc(
            value =
                "An OpenAI-compatible model server (vLLM, Ollama, llama.cpp, OpenAI, serve...).",
            unset = "not a server")
        RemoteModelConfig server,
    @ConfigDoc(
            value =
                "Token budget (prompt + completion) per hour, per TaskManager; once spent, each"
                    + " task falls back to the next model named for it, or its work is shed"
                    + " (counted). Refills continuously.",
            unset = "no budget")
        Long tokensPerHour)
    implements Serializable {
  public ModelDeclaration {
    if ((engine == null) == (server == null)) {
      throw ConfigException.invalid(
          engine == null ? "engine" : "server",
          engine == null ? null : "both engine and server",
          "exactly one of `engine` (in process) or `server` (a model server)");
    }
    if (tokensPerHour != null) {
      if (tokensPerHour < 1) {
        throw ConfigException.invalid("tokensPerHour", tokensPerHour, "a whole number >= 1");
      }
    }
  }

  public static ModelDeclaration of(EngineModelConfig engine) {
    return new ModelDeclaration(engine, null, null);
  }

  public static ModelDeclaration of(RemoteModelConfig server) {
    return new ModelDeclaration(null, server, null);
  }

  public ModelDeclaration withTokensPerHour(Long budget) {
    return new ModelDeclaration(engine, server, budget);
  }
}
