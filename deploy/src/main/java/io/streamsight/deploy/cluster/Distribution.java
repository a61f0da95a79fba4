package io.streamsight.deploy.cluster;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java runtime and class path every cluster process runs with: the same {@code deploy} jar and
 * {@code lib/} directory the {@code streamsight} launcher uses, so Kafka, Flink and our stages all
 * come from the jars the build already resolved.
 *
 * @param javaBin the {@code java} executable
 * @param classPath passed as {@code -cp}; may contain a {@code lib/*} wildcard (java expands it)
 */
public record Distribution(Path javaBin, String classPath) {

  /** Our main class, the one the launcher runs. */
  public static final String MAIN = "io.streamsight.deploy.Main";

  /**
   * The distribution this JVM runs from: {@code deploy-*.jar} plus its sibling {@code lib/*}, or
   * (when run from classes, e.g. in an IDE) this JVM's class path.
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
    return new Distribution(java, System.getProperty("java.class.path"));
  }

  /** The distribution around a {@code deploy-*.jar}: the jar and {@code lib/*} next to it. */
  public static Distribution ofJar(Path java, Path jar) {
    Path lib = jar.toAbsolutePath().getParent().resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(
          "No lib/ directory next to "
              + jar
              + "; build the distribution with 'mvn -B -pl deploy -am install -DskipTests'");
    }
    return new Distribution(java, jar.toAbsolutePath() + File.pathSeparator + lib + "/*");
  }
}
