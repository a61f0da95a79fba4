package io.streamsight.deploy.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the multi-process cluster ITs share. */
final class ClusterTestSupport {
  private ClusterTestSupport() {}

  /**
   * Loads the classes a test needs to tear the cluster down before the test starts: a rebuild of
   * the module during a minutes-long run must not leave the cleanup unable to load them.
   */
  static void preload(Class<?> test, Class<?>... classes) {
    for (Class<?> c : classes) {
      try {
        Class.forName(c.getName(), true, test.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * The distribution {@code mvn verify} just packaged (target/streamsight-cli-*.jar plus
   * target/lib).
   */
  static Distribution packaged() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      Path jar =
          files
              .filter(p -> p.getFileName().toString().matches("streamsight-cli-.*\\.jar"))
              .filter(p -> !p.getFileName().toString().contains("tests"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "run via mvn verify: no target/streamsight-cli-*.jar"));
      return Distribution.ofJar(Path.of(System.getProperty("java.home"), "bin", "java"), jar);
    }
  }
}
