package io.streamsight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {
  @Test
  void shouldGenerateAnOwnerOnlyTokenOnceAndKeepIt(@TempDir Path dir) throws IOException {
    AccessToken first = AccessToken.loadOrCreate(dir.resolve("data"));
    assertTrue(first.created());
    Path file = dir.resolve("data").resolve(AccessToken.FILE_NAME);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(first.reveal().length() >= 40, "256 random bits");

    AccessToken again = AccessToken.loadOrCreate(dir.resolve("data"));
    assertFalse(again.created(), "generated once, then read back");
    assertEquals(first.reveal(), again.reveal());
  }

  @Test
  void shouldAcceptOnlyTheBearerToken(@TempDir Path dir) throws IOException {
    AccessToken t = AccessToken.loadOrCreate(dir);
    assertTrue(t.accepts("Bearer " + t.reveal()));
    assertTrue(t.accepts("bearer " + t.reveal()));
    assertFalse(t.accepts(null));
    assertFalse(t.accepts(t.reveal()));
    assertFalse(t.accepts("Bearer " + t.reveal() + "x"));
    assertFalse(t.accepts("Bearer " + t.reveal().substring(1)));
    assertFalse(t.accepts("Basic " + t.reveal()));
  }

  @Test
  void shouldNeverShowTheTokenInToString(@TempDir Path dir) throws IOException {
    AccessToken t = AccessToken.loadOrCreate(dir);
    assertFalse(t.toString().contains(t.reveal()));
  }

  @Test
  void shouldRefuseAWeakTokenFile(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("t"), "short\n");
    IOException e = assertThrows(IOException.class, () -> AccessToken.fromFile(f));
    assertTrue(e.getMessage().contains("--token-file"), e.getMessage());
    Path good = Files.writeString(dir.resolve("g"), "  0123456789abcdef-long-enough \n");
    assertTrue(AccessToken.fromFile(good).accepts("Bearer 0123456789abcdef-long-enough"));
    assertThrows(IOException.class, () -> AccessToken.fromFile(dir.resolve("missing")));
  }
}
