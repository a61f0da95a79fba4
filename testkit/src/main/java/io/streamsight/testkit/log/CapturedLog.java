package io.streamsight.testkit.log;

import java.io.StringWriter;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything logged through SLF4J/Log4j in this JVM while open, stack traces included, as one text:
 * for tests asserting what a component does (or never does) write to its log.
 */
public final class CapturedLog implements AutoCloseable {
  private final StringWriter text = new StringWriter();
  private final String name = "captured-" + UUID.randomUUID();
  private final WriterAppender appender;

  private CapturedLog() {
    appender =
        WriterAppender.newBuilder()
            .setName(name)
            .setTarget(text)
            .setLayout(
                PatternLayout.newBuilder().withPattern("%level %c - %msg%n%throwable").build())
            .build();
    appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    ctx.updateLoggers();
  }

  public static CapturedLog start() {
    return new CapturedLog();
  }

  /** What was logged so far. */
  public String text() {
    synchronized (text) {
      return text.toString();
    }
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().removeAppender(name);
    ctx.updateLoggers();
    appender.stop();
  }
}
