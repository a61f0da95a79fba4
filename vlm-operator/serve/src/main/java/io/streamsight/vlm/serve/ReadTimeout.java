package io.streamsight.vlm.serve;

import java.time.Duration;

/**
 * The JDK HTTP server's one guard against slow clients: {@code sun.net.httpserver.maxReqTime}, the
 * seconds a connection may take to send its request before the server closes it (checked every
 * second). It is a JVM-wide system property, read once when the JDK's HTTP server classes first
 * start a server; so it is set here, before ours starts, unless it was set already (then that value
 * applies). In a JVM that started another JDK HTTP server earlier (never the case for {@code
 * streamsight serve}, which runs alone) it comes too late and the JDK default, no limit, stays.
 */
final class ReadTimeout {
  static final String PROPERTY = "sun.net.httpserver.maxReqTime";

  private ReadTimeout() {}

  static synchronized void apply(Duration timeout) {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, Long.toString(Math.max(1, timeout.toSeconds())));
    }
  }
}
