package io.streamsight.vlm.hub;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where a listed file goes inside the model directory, refusing names that would leave it: a path
 * that climbs out ({@code ../}), an absolute one, or one that passes through a symbolic link inside
 * the directory (a link {@code onnx -> /etc} would otherwise turn every write under {@code onnx/}
 * into a write elsewhere). The directory itself may be a link: the user chose it.
 */
final class ModelPaths {
  private ModelPaths() {}

  /**
   * The file's place under {@code dir} (absolute and normalised).
   *
   * @throws HubException (protocol) naming the path and why it is refused
   */
  static Path target(Path dir, String listed) {
    Path target;
    try {
      target = dir.resolve(listed).normalize();
    } catch (InvalidPathException e) {
      throw refused(listed, "not a valid file name here (" + e.getReason() + ")");
    }
    if (Path.of(listed).isAbsolute() || !target.startsWith(dir) || target.equals(dir)) {
      throw refused(listed, "outside the model directory " + dir);
    }
    for (Path p = target; !p.equals(dir); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw refused(
            listed,
            dir.relativize(p)
                + " in "
                + dir
                + " is a symbolic link (not followed: remove it, or pull into another --dir)");
      }
      if (p != target && Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p)) {
        throw refused(listed, dir.relativize(p) + " in " + dir + " is not a directory");
      }
    }
    return target;
  }

  private static HubException refused(String listed, String why) {
    return new HubException(
        HubException.Kind.PROTOCOL,
        "refusing listed path '" + listed + "' before fetching anything: " + why);
  }
}
