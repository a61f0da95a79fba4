package io.streamsight.deploy.cluster;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java runtime and class path every cluster process runs with: the same {@code streamsight-cli}
 * jar and {@code lib/} directory the {@code streamsight} launcher uses, so Kafka, Flink and our
 * stages all come from the jars the build already resolved.
 *
 * @param javaBin the {@code java} executable
 * @param classPath passed as {@code -cp}; may contain a {@code lib/*} wildcard (java expands it)
 * @param jar the {@code streamsight-cli} jar, with {@code lib/} next to it; {@code null} when
 *     running from classes (then {@code classPath} is this JVM's and cannot be snapshotted)
 */
public record Distribution(Path javaBin, String classPath, Path jar) {

  /** Our main class, the one the launcher runs. */
  public static final String MAIN = "io.streamsight.deploy.Main";

  /**
   * The distribution this JVM runs from: {@code streamsight-cli-*.jar} plus its sibling {@code
   * lib/*}, or (when run from classes, e.g. in an IDE) this JVM's class path.
   */
  public static Distribution current() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try {
      Path codeSource =
          Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(codeSource) && codeSource.toString().endsWith(".jar")) {
        return ofJar(java, codeSource);
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall through to the JVM class path
    }
    return new Distribution(java, System.getProperty("java.class.path"), null);
  }

  /**
   * The distribution around a {@code streamsight-cli-*.jar}: the jar and {@code lib/*} next to it.
   */
  public static Distribution ofJar(Path java, Path jar) {
    Path lib = jar.toAbsolutePath().getParent().resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(
          "No lib/ directory next to "
              + jar
              + "; build the distribution with 'mvn -B -pl deploy/cli -am install -DskipTests'");
    }
    return new Distribution(
        java, jar.toAbsolutePath() + File.pathSeparator + lib + "/*", jar.toAbsolutePath());
  }

  /**
   * A private copy of this distribution in {@code dir} ({@code streamsight.jar} and {@code lib/}),
   * so rebuilding the project while the cluster runs cannot swap jars under running JVMs (they load
   * classes lazily and fail with NoClassDefFoundError when a jar changes). Our own snapshot jars
   * are copied; released libraries, which never change under the same name, are hard-linked (copied
   * when links are not possible). When {@code reuse} is set and a copy exists (processes of the
   * cluster still run from it), that copy is used as is.
   */
  public Distribution snapshotInto(Path dir, boolean reuse) {
    if (jar == null) {
      return this;
    }
    Path target = dir.resolve("streamsight.jar");
    if (reuse && Files.isRegularFile(target)) {
      return ofJar(javaBin, target);
    }
    try {
      ClusterDown.deleteTree(dir);
      Files.createDirectories(dir.resolve("lib"));
      Files.copy(jar, target);
      try (java.util.stream.Stream<Path> libs = Files.list(jar.getParent().resolve("lib"))) {
        for (Path l : libs.toList()) {
          Path to = dir.resolve("lib").resolve(l.getFileName());
          if (l.getFileName().toString().contains("SNAPSHOT")) {
            Files.copy(l, to);
          } else {
            try {
              Files.createLink(to, l);
            } catch (java.io.IOException | UnsupportedOperationException e) {
              Files.copy(l, to);
            }
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot copy the distribution to " + dir, e);
    }
    return ofJar(javaBin, target);
  }
}
