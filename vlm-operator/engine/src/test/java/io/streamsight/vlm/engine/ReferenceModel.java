package io.streamsight.vlm.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;

/**
 * The outside reference model (a tiny random Idefics3 exported by transformers, see
 * src/test/resources/reference/README.md), unpacked once per test JVM into target/.
 */
final class ReferenceModel {
  private static Path dir;

  private ReferenceModel() {}

  static synchronized Path dir() {
    if (dir == null) {
      Path out = Paths.get("target", "test-models");
      try (InputStream in =
          ReferenceModel.class.getResourceAsStream("/reference/idefics3-reference.tar.gz")) {
        if (in == null) {
          throw new IllegalStateException(
              "missing test resource reference/idefics3-reference.tar.gz");
        }
        untar(new GZIPInputStream(in), out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      dir = out.resolve("idefics3-reference");
    }
    return dir;
  }

  /** Minimal ustar reader: regular files and directories are all the archive holds. */
  static void untar(InputStream in, Path out) throws IOException {
    byte[] header = new byte[512];
    while (in.readNBytes(header, 0, 512) == 512) {
      String name = field(header, 0, 100);
      if (name.isEmpty()) {
        break;
      }
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      long size =
          Long.parseLong(
              field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
      char type = (char) header[156];
      byte[] data = in.readNBytes((int) size);
      long pad = (512 - size % 512) % 512;
      in.readNBytes((int) pad);
      Path target = out.resolve(name).normalize();
      if (!target.startsWith(out.normalize())) {
        throw new IOException("archive entry escapes target: " + name);
      }
      if (type == '5') {
        Files.createDirectories(target);
      } else if (type == '0' || type == 0) {
        Files.createDirectories(target.getParent());
        Files.write(target, data);
      }
    }
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.US_ASCII);
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unused")
  private static byte[] drain(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    in.transferTo(b);
    return b.toByteArray();
  }
}
