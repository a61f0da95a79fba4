package io.streamsight.deploy.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a local cluster keeps its files under one directory: {@code cluster.properties} (the {@link
 * ClusterSpec}), {@code pids/}, {@code logs/}, {@code kafka/node-N/}, {@code flink/conf/}, {@code
 * flink/checkpoints/}. Data lives in {@code kafka/} and {@code flink/}; {@code down --purge}
 * removes only the entries named in {@link #ownEntries()}, and the directory itself only when
 * nothing else is left in it.
 */
public record ClusterLayout(Path dir) {
  public ClusterLayout {
    dir = dir.toAbsolutePath().normalize();
  }

  public Path specFile() {
    return dir.resolve("cluster.properties");
  }

  public Path pidDir() {
    return dir.resolve("pids");
  }

  public Path logDir() {
    return dir.resolve("logs");
  }

  public Path kafkaData(int nodeId) {
    return dir.resolve("kafka").resolve("node-" + nodeId);
  }

  public Path flinkConf() {
    return dir.resolve("flink").resolve("conf");
  }

  public Path flinkCheckpoints() {
    return dir.resolve("flink").resolve("checkpoints");
  }

  /** Where {@code down} stops the job with a savepoint and {@code up} resumes from. */
  public Path flinkSavepoints() {
    return dir.resolve("flink").resolve("savepoints");
  }

  /**
   * Written by {@code up} once the spec parsed and the directory is known to be ours, before the
   * first other file: {@code down --purge} deletes only in a directory that has it, never whatever
   * {@code --dir} happens to name (a home directory, a project).
   */
  public Path markerFile() {
    return dir.resolve(".streamsight-cluster");
  }

  public boolean hasMarker() {
    return Files.isRegularFile(markerFile());
  }

  public void writeMarker() {
    if (hasMarker()) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(
          markerFile(),
          "streamsight local cluster directory, created "
              + java.time.Instant.now()
              + "\n'streamsight cluster down --purge' deletes this whole directory.\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + markerFile(), e);
    }
  }

  /**
   * Writes {@code content} to {@code secrets/<name>}, readable by the owner only (directory 0700,
   * file 0600, created so from the start: no moment where another user could read it).
   */
  public Path writeSecret(String name, String content) {
    Path secrets = dir.resolve("secrets");
    Path file = secrets.resolve(name);
    try {
      if (!Files.isDirectory(secrets)) {
        Files.createDirectories(
            secrets,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      }
      Files.deleteIfExists(file);
      Files.createFile(
          file,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** The sampler processes' Kafka Streams state directories ({@code sampler/<name>}). */
  public Path samplerState() {
    return dir.resolve("sampler");
  }

  /** The Connect worker's secrets directory (its REST credential, subscription secrets). */
  public Path connectSecrets() {
    return dir.resolve("connect-secrets");
  }

  /**
   * Every top-level entry {@code cluster up} and its processes create here, and so the only ones
   * {@code down --purge} deletes (the marker last). Anything else in the directory is not ours.
   */
  public java.util.List<Path> ownEntries() {
    return java.util.List.of(
        specFile(),
        pidDir(),
        logDir(),
        dir.resolve("kafka"),
        dir.resolve("flink"),
        dir.resolve("secrets"),
        distDir(),
        modelDir(),
        samplerState(),
        connectSecrets(),
        markerFile());
  }

  /**
   * True when every entry of the directory is one of {@link #ownEntries()} (or it is empty or
   * missing): the layout is ours, so {@code up} may claim it.
   */
  public boolean holdsOnlyOwnEntries() {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    java.util.Set<Path> own = new java.util.HashSet<>(ownEntries());
    try (var entries = Files.list(dir)) {
      return entries.allMatch(own::contains);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  public Path flinkTmp() {
    return dir.resolve("flink").resolve("tmp");
  }

  /** The private copy of the distribution the cluster's processes run from. */
  public Path distDir() {
    return dir.resolve("dist");
  }

  public Path modelDir() {
    return dir.resolve("model");
  }

  public Path pidFile(String process) {
    return pidDir().resolve(process + ".pid");
  }

  public Path logFile(String process) {
    return logDir().resolve(process + ".log");
  }

  /** The persisted spec, if a cluster was ever brought up here. */
  public Optional<ClusterSpec> loadSpec() {
    Path f = specFile();
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(f)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + f, e);
    }
    return Optional.of(ClusterSpec.fromProperties(p));
  }

  public void saveSpec(ClusterSpec spec) {
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(specFile())) {
        spec.toProperties().store(out, "streamsight local cluster: ports and ids, reused by up");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + specFile(), e);
    }
  }

  /** Creates the directories every process expects. */
  public void createDirectories() {
    try {
      for (Path p :
          new Path[] {
            pidDir(), logDir(), flinkConf(), flinkCheckpoints(), flinkSavepoints(), flinkTmp()
          }) {
        Files.createDirectories(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create cluster directories under " + dir, e);
    }
  }
}
