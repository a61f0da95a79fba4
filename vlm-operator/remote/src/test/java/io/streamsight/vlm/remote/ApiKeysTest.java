package io.streamsight.vlm.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  private static RemoteModelConfig config(String file, String env) {
    return new RemoteModelConfig(
        "http://127.0.0.1:1/v1",
        "m",
        file,
        env,
        1,
        Duration.ofSeconds(1),
        0,
        Duration.ofSeconds(1),
        1,
        64,
        1,
        Duration.ofSeconds(1));
  }

  @Test
  void theFilesFirstLineTrimmedIsTheKeyAndWinsOverTheEnvironment(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("key");
    Files.writeString(f, "\tsk-abc \r\nother\n");
    assertEquals("sk-abc", ApiKeys.read(config(f.toString(), "K"), Map.of("K", "env")::get));
  }

  @Test
  void theEnvironmentVariableIsUsedWithoutAFile() {
    assertEquals("sk-env", ApiKeys.read(config(null, "K"), Map.of("K", " sk-env ")::get));
    assertNull(ApiKeys.read(config(null, null), name -> "never asked"));
  }

  @Test
  void anUnsetVariableFailsNamingIt() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ApiKeys.read(config(null, "VLM_KEY"), name -> null));
    assertEquals("apiKeyEnv", e.path());
    assertTrue(e.getMessage().contains("VLM_KEY"), e.getMessage());
  }

  @Test
  void anUnreadableOrEmptyFileFailsNamingTheFileNotItsContent(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing");
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ApiKeys.read(config(missing.toString(), null), n -> null));
    assertEquals("apiKeyFile", e.path());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {'s', 'k', (byte) 0xff, (byte) 0xfe, '\n'});
    ConfigException notText =
        assertThrows(
            ConfigException.class, () -> ApiKeys.read(config(binary.toString(), null), n -> null));
    assertTrue(notText.getMessage().contains("not UTF-8"), notText.getMessage());
    assertFalse(notText.getMessage().contains("sk"), notText.getMessage());

    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");
    ConfigException blank =
        assertThrows(
            ConfigException.class, () -> ApiKeys.read(config(empty.toString(), null), n -> null));
    assertTrue(blank.getMessage().contains("empty"), blank.getMessage());
  }
}
