package io.streamsight.sinks.connect.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The credential of a Streamsight Connect worker's REST API: 256 random bits in {@code
 * <secrets-dir>/connect-rest.token}, created with mode 0600 (the directory is 0700), kept across
 * restarts and shared by workers and clients that use the same secrets directory. Requests carry it
 * as {@code Authorization: Bearer <token>}; compared in constant time. Never logged.
 */
public final class RestCredential {
  public static final String FILE_NAME = "connect-rest.token";

  private final String token;

  private RestCredential(String token) {
    this.token = token;
  }

  /** The token file in {@code secretsDir}. */
  public static Path file(Path secretsDir) {
    return secretsDir.resolve(FILE_NAME);
  }

  /** Reads the credential, creating it (0600 from the first byte) when there is none yet. */
  public static RestCredential loadOrCreate(Path secretsDir) throws IOException {
    Path f = file(secretsDir);
    if (!Files.exists(f)) {
      byte[] b = new byte[32];
      new SecureRandom().nextBytes(b);
      String t = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      try {
        try {
          Files.createFile(
              f,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
          Files.createFile(f); // not POSIX: the directory is the protection left
        }
        Files.writeString(f, t + "\n", StandardCharsets.UTF_8);
      } catch (FileAlreadyExistsException e) {
        // another worker sharing the directory made it first: use theirs
      }
    }
    return read(secretsDir)
        .orElseThrow(() -> new IOException("the REST credential " + f + " is empty"));
  }

  /** The credential in {@code secretsDir}, or empty when there is none (or it cannot be read). */
  public static Optional<RestCredential> read(Path secretsDir) {
    if (secretsDir == null) {
      return Optional.empty();
    }
    try {
      String t = Files.readString(file(secretsDir), StandardCharsets.UTF_8).strip();
      return t.isEmpty() ? Optional.empty() : Optional.of(new RestCredential(t));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code Bearer <token>}: the Authorization header value. */
  public String authorization() {
    return "Bearer " + token;
  }

  /** Whether an Authorization header value carries this credential (constant time). */
  public boolean accepts(String authorization) {
    if (authorization == null) {
      return false;
    }
    return MessageDigest.isEqual(
        authorization().getBytes(StandardCharsets.UTF_8),
        authorization.strip().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "RestCredential[(set)]";
  }
}
