package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that is down when the job starts: opening its model does not fail (the job would restart
 * over and over), its runs fail as unavailable (shed, counted) until it can be reached.
 */
@Timeout(60)
class RemoteModelProviderTest {
  @Test
  void aServerDownAtStartMakesRunsUnavailableInsteadOfFailingTheOpen() {
    RemoteModelConfig d = RemoteModelConfig.of("http://127.0.0.1:1/v1", null); // nothing listens
    RemoteModelConfig config =
        new RemoteModelConfig(
            d.baseUrl(),
            null, // the server's only model: asked for at open
            null,
            null,
            d.maxConcurrent(),
            Duration.ofSeconds(2),
            0,
            d.maxBackoff(),
            d.maxImages(),
            d.maxImageEdge(),
            d.breakerFailures(),
            Duration.ofMinutes(5));
    try (VisionLanguageModel m = new RemoteModelProvider(config).open()) {
      assertEquals("http://127.0.0.1:1/v1", m.modelId());
      VlmRequest ask =
          new VlmRequest(
              Task.ASK, List.of(), "What?", GenerationOptions.greedy(4, new ImageBudget(0)));
      ModelUnavailableException e =
          assertThrows(ModelUnavailableException.class, () -> m.run(List.of(ask)));
      assertTrue(e.getMessage().contains("not reachable yet"), e.getMessage());
    }
  }
}
