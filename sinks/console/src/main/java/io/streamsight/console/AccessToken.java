package io.streamsight.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The bearer token every write to the console must carry ({@code Authorization: Bearer ...}).
 * Generated once into the data directory ({@value #FILE_NAME}, owner-only permissions) or read from
 * {@code --token-file}. There are no cookies, so a page on another site cannot make a browser send
 * it (no CSRF). Compared in constant time; never part of {@link #toString()} or a log line.
 */
public final class AccessToken {
  public static final String FILE_NAME = "console.token";
  private static final int MIN_CHARS = 16;

  private final byte[] token;
  private final Path file;
  private final boolean created;

  private AccessToken(String token, Path file, boolean created) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.file = file;
    this.created = created;
  }

  /** Reads {@code file} (the whole file, surrounding whitespace ignored). */
  public static AccessToken fromFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("--token-file " + file + " does not exist or is not a file");
    }
    String t = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (t.length() < MIN_CHARS || !t.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IOException(
          "--token-file "
              + file
              + ": the token must be at least "
              + MIN_CHARS
              + " printable ASCII characters without spaces");
    }
    return new AccessToken(t, file, false);
  }

  /** The token kept in {@code dataDir}, generated there (mode 0600) when absent. */
  public static AccessToken loadOrCreate(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return fromFile(file);
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String t = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try {
      // Created with its permissions in one step: the token is never readable by others, not even
      // for the moment between creating the file and a chmod.
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system: the directory's protection applies
    } catch (FileAlreadyExistsException e) {
      return fromFile(file); // another console started at the same moment
    }
    Files.writeString(file, t + "\n", StandardCharsets.UTF_8);
    return new AccessToken(t, file, true);
  }

  /** Whether an {@code Authorization} header value carries this token. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, given);
  }

  /** The token itself, to print once when it was just generated. */
  public String reveal() {
    return new String(token, StandardCharsets.UTF_8);
  }

  /** Where it is kept. */
  public Path file() {
    return file;
  }

  /** Whether {@link #loadOrCreate} generated it just now. */
  public boolean created() {
    return created;
  }

  @Override
  public String toString() {
    return "AccessToken[" + file + ", value redacted]";
  }
}
