package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.model.ModelLoadException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ModelFamiliesTest {
  static final Path CONFIG = Path.of("models", "m", "config.json");

  @Test
  void shouldSelectIdefics3ForBothSmolVlmModelTypes() {
    assertSame(ModelFamilies.IDEFICS3, ModelFamilies.select("idefics3", CONFIG));
    assertSame(ModelFamilies.IDEFICS3, ModelFamilies.select("smolvlm", CONFIG));
    assertEquals("idefics3", ModelFamilies.select("smolvlm", CONFIG).name());
  }

  @Test
  void shouldRejectAnUnknownModelTypeNamingItTheFileAndTheKnownOnes() {
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> ModelFamilies.select("florence2", CONFIG));
    assertEquals(CONFIG, e.path());
    assertTrue(e.getMessage().contains("unknown model_type 'florence2'"), e.getMessage());
    assertTrue(e.getMessage().endsWith("idefics3, smolvlm"), e.getMessage());
    assertEquals(List.of("idefics3", "smolvlm"), List.copyOf(ModelFamilies.modelTypes()));
  }
}
