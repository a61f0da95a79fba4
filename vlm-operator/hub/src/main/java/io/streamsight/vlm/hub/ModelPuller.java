package io.streamsight.vlm.hub;

import io.streamsight.vlm.hub.ModelFiles.Wanted;
import io.streamsight.vlm.model.ModelSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Downloads one variant of a SmolVLM/Idefics3 ONNX repository into a directory the engine can load
 * with {@code --model DIR}. Each file goes to {@code FILE.part}, resumes from there with a {@code
 * Range} request after a failure, is verified (size, and sha256 where the hub gives one) and only
 * then renamed into place, so a file under its final name is always complete. Files already present
 * and verified are not fetched again.
 */
public final class ModelPuller {
  /** What a pull did; {@code missingOptional} lists optional files the repo does not have. */
  public record Result(
      Path dir,
      List<String> fetched,
      List<String> present,
      List<String> missingOptional,
      long bytesFetched,
      boolean verifiedByHub,
      List<String> unverified) {}

  private static final String LOCK_FILE = ".streamsight-pull.lock";

  private final PullConfig config;
  private final PullListener listener;
  private final HubClient client;

  public ModelPuller(PullConfig config, PullListener listener) {
    this.config = config;
    this.listener = listener;
    this.client = new HubClient(config);
  }

  public Result pull() {
    Path dir = config.dir().toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw localError("cannot create model directory " + dir, e);
    }
    // Two pulls into one directory would append to the same .part files.
    try (FileChannel lockChannel =
            FileChannel.open(
                dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(lockChannel, dir)) {
      return pullLocked(dir);
    } catch (IOException e) {
      throw localError("cannot lock model directory " + dir, e);
    }
  }

  private Result pullLocked(Path dir) {
    Optional<List<HubFile>> listing = withRetries("list files", client::listFiles);
    if (listing.isEmpty()) {
      listener.note(
          "note: "
              + config.endpoint()
              + " gave no file metadata; files are checked against the"
              + " sizes the server sends, without any checksum");
    }
    List<Wanted> plan =
        ModelFiles.plan(config.variant(), listing, config.repo(), config.revision());
    List<String> fetched = new ArrayList<>();
    List<String> present = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String p : ModelFiles.OPTIONAL_CONFIG) {
      if (plan.stream().noneMatch(w -> w.path().equals(p))) {
        missing.add(p);
      }
    }
    // Every path is checked before the first request for a file, so a bad name anywhere in the
    // listing leaves the directory as it was.
    List<Path> targets = new ArrayList<>();
    for (Wanted w : plan) {
      targets.add(ModelPaths.target(dir, w.path()));
    }
    long bytes = 0;
    List<String> unverified = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      Wanted w = plan.get(i);
      Path target = targets.get(i);
      if (isPresent(target, w.meta())) {
        present.add(w.path());
        listener.finished(w.path(), size(target), true);
        continue;
      }
      try {
        bytes +=
            new FileTransfer(
                    client,
                    listener,
                    w,
                    target,
                    config.revision(),
                    config.stallTimeout(),
                    config.maxFileBytes())
                .fetchWithRetries(this);
        fetched.add(w.path());
        if (w.meta() == null || !w.meta().hasChecksum()) {
          unverified.add(w.path());
        }
      } catch (HubException e) {
        if (!w.optional() || e.kind() != HubException.Kind.NOT_FOUND) {
          throw e;
        }
        missing.add(w.path());
      }
    }
    missing.forEach(p -> listener.note("note: optional " + p + " not in the repo, skipped"));
    if (!unverified.isEmpty()) {
      listener.note(
          "note: "
              + config.endpoint()
              + " gave no checksum for "
              + String.join(", ", unverified)
              + ": checked by size only");
    }
    try {
      // Lets the engine print the exact pull command when a variant is missing later.
      new ModelSource(config.repo(), config.revision()).writeTo(dir);
    } catch (IOException e) {
      throw localError("cannot record the model source in " + dir, e);
    }
    return new Result(dir, fetched, present, missing, bytes, listing.isPresent(), unverified);
  }

  /** Runs {@code call}, retrying transient failures with exponential backoff. */
  <T> T withRetries(String what, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (RetriableHubException e) {
        if (attempt >= config.maxAttempts()) {
          throw new HubException(
              HubException.Kind.TRANSIENT,
              what + " failed after " + attempt + " attempts: " + e.getMessage(),
              e);
        }
        backoff(attempt, e);
      }
    }
  }

  void backoff(int attempt, RetriableHubException e) {
    long millis = config.initialBackoff().toMillis() << Math.min(attempt - 1, 10);
    listener.note(
        "retrying in "
            + millis
            + " ms (attempt "
            + (attempt + 1)
            + "/"
            + config.maxAttempts()
            + "): "
            + e.getMessage());
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new HubException(HubException.Kind.LOCAL_IO, "interrupted while retrying", ie);
    }
  }

  int maxAttempts() {
    return config.maxAttempts();
  }

  /**
   * A file under its final name was verified before the rename; with metadata it is checked again
   * (size, and sha256 where known) so a file from another source or revision is replaced.
   */
  private boolean isPresent(Path target, HubFile meta) {
    if (!Files.isRegularFile(target)) {
      return false;
    }
    if (meta == null) {
      return true;
    }
    if ((meta.size() >= 0 && size(target) != meta.size())
        || checksumProblem(target, meta) != null) {
      listener.note("note: " + target + " differs from the hub's copy, fetching it again");
      return false;
    }
    return true;
  }

  /**
   * Why {@code file} does not match the checksum the hub lists, or null when it matches or none is
   * listed: the LFS sha256, else (small files kept in git) the git blob id.
   */
  static String checksumProblem(Path file, HubFile meta) {
    if (meta == null) {
      return null;
    }
    if (meta.sha256() != null) {
      String sha = sha256(file);
      return sha.equals(meta.sha256()) ? null : "sha256 " + sha + ", expected " + meta.sha256();
    }
    if (meta.gitSha1() != null) {
      String blob = gitBlobSha1(file);
      return blob.equals(meta.gitSha1())
          ? null
          : "git blob sha1 " + blob + ", expected " + meta.gitSha1();
    }
    return null;
  }

  /** Git's blob id: sha1 over {@code "blob <size>\0"} followed by the content. */
  static String gitBlobSha1(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(
          ("blob " + Files.size(p) + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha1.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(sha1.digest());
    } catch (IOException e) {
      throw localError("cannot read " + p, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-1", e);
    }
  }

  static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw localError("cannot read " + p, e);
    }
  }

  static String sha256(Path p) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(p), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw localError("cannot read " + p, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  static HubException localError(String message, IOException e) {
    return new HubException(HubException.Kind.LOCAL_IO, message + ": " + e.getMessage(), e);
  }

  private static FileLock tryLock(FileChannel ch, Path dir) throws IOException {
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new HubException(
          HubException.Kind.LOCAL_IO,
          "another model pull is writing into " + dir + "; wait for it");
    }
    return lock;
  }

  static void moveIntoPlace(Path part, Path target) {
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw localError("cannot rename " + part + " to " + target, e);
    }
  }

  static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
