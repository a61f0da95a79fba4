package io.streamsight.vlm.hub;

import io.streamsight.vlm.hub.ModelFiles.Wanted;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Moves one file from the hub into place: {@code .part}, resume, verify, rename. */
final class FileTransfer {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

  private final HubClient client;
  private final PullListener listener;
  private final Wanted wanted;
  private final Path target;
  private final Path part;

  /** Closes a silent transfer's stream so its blocked read fails and the file is resumed. */
  static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "model-pull-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final long knownSize;
  private final Duration stallTimeout;
  private final long maxFileBytes;
  private final Path etagFile;
  private long written;

  FileTransfer(
      HubClient client,
      PullListener listener,
      Wanted wanted,
      Path target,
      String revision,
      Duration stallTimeout,
      long maxFileBytes) {
    this.client = client;
    this.stallTimeout = stallTimeout;
    this.maxFileBytes = maxFileBytes;
    this.listener = listener;
    this.wanted = wanted;
    this.target = target;
    this.part =
        target.resolveSibling(target.getFileName() + "." + partKey(wanted, revision) + ".part");
    this.etagFile = part.resolveSibling(part.getFileName() + ".etag");
    this.knownSize = wanted.meta() == null ? -1 : wanted.meta().size();
  }

  /**
   * Names the part file after the version it holds, so a resume only ever appends to bytes of the
   * same version: the content checksum when the hub lists one, else the revision (and then the
   * server's ETag, kept beside the part, guards the resume through {@code If-Range}).
   */
  static String partKey(Wanted wanted, String revision) {
    HubFile meta = wanted.meta();
    if (meta != null && meta.sha256() != null) {
      return meta.sha256().substring(0, 16);
    }
    if (meta != null && meta.gitSha1() != null) {
      return "git" + meta.gitSha1().substring(0, 16);
    }
    String rev = revision.replaceAll("[^\\w.-]", "_");
    return "rev-" + (rev.length() > 40 ? rev.substring(0, 40) : rev);
  }

  private boolean contentAddressed() {
    return wanted.meta() != null && wanted.meta().hasChecksum();
  }

  /** Deletes part files of this file that belong to other versions (or the old unkeyed name). */
  private void dropOtherVersions() {
    String name = target.getFileName().toString();
    try (var siblings = Files.list(target.getParent())) {
      for (Path p : siblings.toList()) {
        String n = p.getFileName().toString();
        boolean ours = p.equals(part) || p.equals(etagFile);
        boolean mine =
            n.equals(name + ".part")
                || (n.startsWith(name + ".") && (n.endsWith(".part") || n.endsWith(".part.etag")));
        if (mine && !ours) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw ModelPuller.localError("cannot clean old part files of " + target, e);
    }
  }

  /**
   * Fetches, verifies and renames; returns the bytes transferred in this run. A transient failure
   * keeps the part file and retries from where it stopped; the attempt count restarts whenever an
   * attempt made progress, so a slow but working connection is never given up on.
   */
  long fetchWithRetries(ModelPuller puller) {
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw ModelPuller.localError("cannot create " + target.getParent(), e);
    }
    dropOtherVersions();
    for (int attempt = 1; ; attempt++) {
      long before = partSize();
      try {
        long total = transferOnce();
        verify(total);
        ModelPuller.moveIntoPlace(part, target);
        ModelPuller.delete(etagFile);
        listener.finished(wanted.path(), ModelPuller.size(target), false);
        return written;
      } catch (RetriableHubException e) {
        if (partSize() > before) {
          attempt = 0; // progress: a fresh budget of attempts
        } else if (attempt >= puller.maxAttempts()) {
          throw new HubException(
              HubException.Kind.TRANSIENT,
              "download of "
                  + wanted.path()
                  + " failed after "
                  + attempt
                  + " attempts ("
                  + partSize()
                  + " bytes kept in "
                  + part
                  + ", run the pull again to resume): "
                  + e.getMessage(),
              e);
        }
        puller.backoff(Math.max(attempt, 1), e);
      }
    }
  }

  /** One request; returns the file's full size as the server states it, or -1. */
  private long transferOnce() {
    long offset = partSize();
    if (knownSize >= 0 && offset > knownSize) {
      ModelPuller.delete(part); // a stale part of another version of the file
      offset = 0;
    }
    if (knownSize > 0 && offset == knownSize) {
      return knownSize; // a complete part from an earlier run that stopped before the rename
    }
    String ifRange = null;
    if (offset > 0 && !contentAddressed()) {
      ifRange = readEtag();
      if (ifRange == null) {
        // Neither a checksum nor an ETag names the version these bytes are of: start over
        // rather than append another version's bytes to them.
        ModelPuller.delete(part);
        offset = 0;
      }
    }
    HttpResponse<InputStream> r = client.open(wanted.path(), offset, ifRange);
    long total;
    boolean append;
    switch (r.statusCode()) {
      case 416 -> {
        HubClient.drain(r);
        Matcher m = UNSATISFIED_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
        return m.matches() ? Long.parseLong(m.group(1)) : offset; // nothing after offset
      }
      case 206 -> {
        Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
        if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
          HubClient.drain(r);
          ModelPuller.delete(part);
          throw new RetriableHubException(
              "server resumed " + wanted.path() + " at the wrong offset; starting over", null);
        }
        total = m.group(2).equals("*") ? -1 : Long.parseLong(m.group(2));
        append = true;
      }
      default -> { // 200: the whole file (range ignored, not sent, or If-Range saw a new version)
        total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        offset = 0;
        append = false;
        writeEtag(r.headers().firstValue("ETag").orElse(null));
      }
    }
    if (knownSize >= 0 && total > knownSize) {
      HubClient.drain(r);
      ModelPuller.delete(part);
      throw oversize(total);
    }
    long expected = knownSize >= 0 ? knownSize : total;
    listener.started(wanted.path(), offset, expected);
    copy(r, offset, expected, append);
    return total;
  }

  private void copy(HttpResponse<InputStream> r, long offset, long expected, boolean append) {
    long done = offset;
    byte[] buf = new byte[256 * 1024];
    try (InputStream in = r.body();
        OutputStream out =
            Files.newOutputStream(
                part,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      AtomicBoolean stalled = new AtomicBoolean();
      while (true) {
        int n;
        ScheduledFuture<?> alarm =
            WATCHDOG.schedule(
                () -> {
                  stalled.set(true);
                  closeQuietly(in);
                },
                stallTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        IOException failure = null;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          n = -1;
          failure = e;
        } finally {
          alarm.cancel(false);
        }
        if (stalled.get()) {
          throw new RetriableHubException(
              "transfer of "
                  + wanted.path()
                  + " stalled for "
                  + stallTimeout.toMillis()
                  + " ms at "
                  + done
                  + " bytes",
              failure);
        }
        if (failure != null) {
          throw new RetriableHubException(
              "transfer of " + wanted.path() + " broke off at " + done + " bytes: " + failure,
              failure);
        }
        if (n < 0) {
          return;
        }
        if (expected >= 0 && done + n > expected) {
          // Never store more than the listed (or announced) size: a server streaming without end
          // would otherwise fill the disk before the size check at the end.
          out.close();
          ModelPuller.delete(part);
          throw oversize(done + n);
        }
        if (expected < 0 && done + n > maxFileBytes) {
          // Nobody said how big the file is (no listing, chunked body): the configured cap.
          out.close();
          ModelPuller.delete(part);
          ModelPuller.delete(etagFile);
          throw new HubException(
              HubException.Kind.INTEGRITY,
              "download of "
                  + wanted.path()
                  + " passed "
                  + maxFileBytes
                  + " bytes without a stated size (neither the listing nor Content-Length gave"
                  + " one); the partial file was deleted (raise --max-file-bytes if the file"
                  + " really is that large)");
        }
        out.write(buf, 0, n);
        done += n;
        written += n;
        listener.progress(wanted.path(), done, expected);
      }
    } catch (IOException e) {
      throw ModelPuller.localError("cannot write " + part, e);
    }
  }

  private HubException oversize(long bytes) {
    return new HubException(
        HubException.Kind.INTEGRITY,
        "corrupt download of "
            + wanted.path()
            + ": the server sends at least "
            + bytes
            + " bytes, more than the "
            + (knownSize >= 0 ? "listed " + knownSize : "announced size")
            + "; the partial file was deleted");
  }

  private String readEtag() {
    try {
      return Files.exists(etagFile) ? Files.readString(etagFile).trim() : null;
    } catch (IOException e) {
      throw ModelPuller.localError("cannot read " + etagFile, e);
    }
  }

  /** Keeps a strong ETag for the resume's If-Range; a weak one cannot be used there. */
  private void writeEtag(String etag) {
    try {
      if (etag != null && !etag.startsWith("W/") && !contentAddressed()) {
        Files.writeString(etagFile, etag);
      } else {
        Files.deleteIfExists(etagFile);
      }
    } catch (IOException e) {
      throw ModelPuller.localError("cannot write " + etagFile, e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the reader sees the stall flag either way
    }
  }

  private void verify(long serverTotal) {
    long expected = knownSize >= 0 ? knownSize : serverTotal;
    long actual = partSize();
    if (expected >= 0 && actual < expected) {
      throw new RetriableHubException(
          "transfer of " + wanted.path() + " ended at " + actual + " of " + expected + " bytes",
          null);
    }
    String problem = null;
    if (expected >= 0 && actual > expected) {
      problem = "size " + actual + " bytes, expected " + expected;
    } else {
      problem = ModelPuller.checksumProblem(part, wanted.meta());
    }
    if (problem != null) {
      ModelPuller.delete(part);
      throw new HubException(
          HubException.Kind.INTEGRITY,
          "corrupt download of "
              + wanted.path()
              + ": "
              + problem
              + "; the partial file was deleted, run the pull again");
    }
  }

  private long partSize() {
    try {
      return Files.exists(part) ? Files.size(part) : 0;
    } catch (IOException e) {
      throw ModelPuller.localError("cannot read " + part, e);
    }
  }
}
