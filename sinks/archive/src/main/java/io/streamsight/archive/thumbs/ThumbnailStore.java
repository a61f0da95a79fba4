package io.streamsight.archive.thumbs;

import io.streamsight.archive.ArchiveException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Thumbnails as files {@code thumbs/<first two hex>/<id>.jpg}. Ids are derived from the document id
 * and the keyframe's position in it, so re-indexing a record after a crash rewrites the same files
 * instead of leaving strays; writes go to a temporary file and are moved into place, so a reader
 * never sees half a JPEG.
 */
public final class ThumbnailStore {
  private final Path dir;

  public ThumbnailStore(Path dir) {
    this.dir = dir;
  }

  /** Usage figures. */
  public record Usage(long files, long bytes) {}

  /** The id of the {@code n}-th thumbnail of document {@code docId}. */
  public static String id(String docId, int n) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest((docId + "#" + n).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  /** Where a thumbnail lives; ids are 24 hex digits (anything else is refused, no path tricks). */
  public Path path(String id) {
    if (!id.matches("[0-9a-f]{24}")) {
      throw new IllegalArgumentException("not a thumbnail id: " + id);
    }
    return dir.resolve(id.substring(0, 2)).resolve(id + ".jpg");
  }

  /** Writes a thumbnail; returns its size. */
  public long write(String id, byte[] jpeg) {
    Path target = path(id);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), id, ".tmp");
      Files.write(tmp, jpeg);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return jpeg.length;
    } catch (IOException e) {
      throw new ArchiveException("cannot write thumbnail " + target + ": " + e.getMessage(), e);
    }
  }

  public void delete(Iterable<String> ids) {
    for (String id : ids) {
      try {
        Files.deleteIfExists(path(id));
      } catch (IOException e) {
        throw new ArchiveException(
            "cannot delete thumbnail " + path(id) + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Counts the thumbnails on disk (walks the directory: call it at retention checks, not often).
   */
  public Usage usage() {
    if (!Files.isDirectory(dir)) {
      return new Usage(0, 0);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long[] acc = new long[2];
      files
          .filter(p -> p.toString().endsWith(".jpg"))
          .forEach(
              p -> {
                try {
                  acc[1] += Files.size(p);
                  acc[0]++;
                } catch (IOException gone) {
                  // deleted while walking
                }
              });
      return new Usage(acc[0], acc[1]);
    } catch (IOException e) {
      throw new ArchiveException("cannot measure thumbnails in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Removes every thumbnail (rebuild). */
  public void clear() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new ArchiveException("cannot clear thumbnails in " + dir + ": " + e.getMessage(), e);
    }
  }
}
