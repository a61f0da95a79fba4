package io.streamsight.archive;

/** The archive cannot go on (index unusable, Kafka unreachable, a dead letter not written). */
public class ArchiveException extends RuntimeException {
  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
