package io.grantsmith.governance;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/** The SLF4J backend of this module's tests: it keeps every event, with the MDC at its time. */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {
  /** One logged event. */
  public record Captured(
      String logger,
      Level level,
      String message,
      Map<String, Object> keyValues,
      Map<String, String> mdc) {}

  /** Every event logged so far. */
  public static final List<Captured> EVENTS = new CopyOnWriteArrayList<>();

  private final MDCAdapter mdc = new BasicMDCAdapter();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final ILoggerFactory factory = CapturingLogger::new;

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** Keeps events at INFO and above. */
  static final class CapturingLogger extends AbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public void log(LoggingEvent event) {
      Map<String, Object> kv =
          event.getKeyValuePairs() == null
              ? Map.of()
              : event.getKeyValuePairs().stream()
                  .collect(Collectors.toMap(p -> p.key, p -> p.value, (a, b) -> b));
      String message =
          MessageFormatter.basicArrayFormat(
              event.getMessage(),
              event.getArgumentArray() == null ? new Object[0] : event.getArgumentArray());
      record(event.getLevel(), message, kv);
    }

    private void record(Level level, String message, Map<String, Object> kv) {
      Map<String, String> context = MDC.getCopyOfContextMap();
      EVENTS.add(new Captured(name, level, message, kv, context == null ? Map.of() : context));
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String format, Object[] args, Throwable t) {
      record(
          level,
          MessageFormatter.basicArrayFormat(format, args == null ? new Object[0] : args),
          Map.of());
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }

  /**
   * The events logged on {@code logger}.
   *
   * @param logger a logger's name
   * @return its events
   */
  public static List<Captured> of(String logger) {
    return EVENTS.stream().filter(e -> e.logger().equals(logger)).collect(Collectors.toList());
  }
}
