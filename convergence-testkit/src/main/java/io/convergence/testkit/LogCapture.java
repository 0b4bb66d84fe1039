package io.convergence.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line at every level while it is open, through logback (which must be the SLF4J
 * provider on the test classpath). Lines include the formatted message and the text of any attached
 * exception.
 *
 * @since 0.1.0
 */
public final class LogCapture implements AutoCloseable {

  private final Logger root;
  private final Level previous;
  private final AppenderBase<ILoggingEvent> appender;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture(Logger root) {
    this.root = root;
    this.previous = root.getLevel();
    this.appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            StringBuilder s =
                new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
              s.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
              for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                s.append("\n\t").append(frame.getSTEAsString());
              }
            }
            lines.add(s.toString());
          }
        };
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.TRACE);
  }

  /**
   * Starts capturing, with the root logger at TRACE.
   *
   * @return the capture; close it to stop
   * @throws IllegalStateException when logback is not the SLF4J provider
   */
  public static LogCapture start() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException(
          "capturing logs needs logback-classic as the SLF4J provider on the test classpath; found "
              + LoggerFactory.getILoggerFactory().getClass().getName());
    }
    return new LogCapture(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
  }

  /**
   * The lines captured so far.
   *
   * @return the lines
   */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Everything captured, one line per event.
   *
   * @return the text
   */
  public String text() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    root.setLevel(previous);
  }
}
