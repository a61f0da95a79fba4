package io.streamsight.archive;

import java.util.HashMap;
import java.util.Map;

/**
 * An archive process for {@link ArchiveCrashIT} to kill: {@code ArchiveChild key=value...} (the
 * archive settings), runs until killed.
 */
public final class ArchiveChild {
  private ArchiveChild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      settings.put(a.substring(0, eq), a.substring(eq + 1));
    }
    Archive archive = Archive.open(ArchiveConfig.parse(settings), false);
    archive.start();
    System.out.println("archive child started");
    while (archive.isRunning()) {
      Thread.sleep(100); // the parent kills this process; nothing to synchronise with
    }
    System.out.println("archive child stopped: " + archive.failure());
    System.exit(1);
  }
}
