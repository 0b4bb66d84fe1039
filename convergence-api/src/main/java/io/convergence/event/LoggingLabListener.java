package io.convergence.event;

import io.convergence.spec.DurationText;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per milestone through SLF4J: lab events at INFO on {@code convergence.lab.<lab
 * name>}, workload events at INFO on {@code convergence.workload.<lab name>.<workload>}, failures
 * at WARN. Every client has one unless it is turned off.
 *
 * @since 0.1.0
 */
public final class LoggingLabListener implements LabListener {

  /** Creates the listener. */
  public LoggingLabListener() {}

  @Override
  public void onEvent(LabEvent event) {
    String labName = labName(event.labId());
    Logger log =
        LoggerFactory.getLogger(
            event.workload() == null
                ? "convergence.lab." + labName
                : "convergence.workload." + labName + "." + event.workload());
    String line = "[" + event.labId() + "] " + describe(event);
    switch (event.type()) {
      case WORKLOAD_FAILED:
      case LAB_FAILED:
      case TEARDOWN_RETRY:
      case TEARDOWN_FAILED:
        log.warn(line);
        break;
      default:
        log.info(line);
    }
  }

  private static String describe(LabEvent e) {
    String took = format(e.elapsed());
    switch (e.type()) {
      case STAGE_REACHED:
        return e.workload()
            + " reached "
            + e.stage().id()
            + " (+"
            + took
            + ")"
            + detail(e.message());
      case WORKLOAD_READY:
        return e.workload() + " ready" + detail(e.message());
      case WORKLOAD_FAILED:
        return e.workload()
            + " failed at "
            + (e.stage() == null ? "?" : e.stage().id())
            + ": "
            + e.message();
      case WORKLOAD_CREATING:
        return e.workload() + " creating" + detail(e.message());
      default:
        return e.message() + " (" + took + ")";
    }
  }

  private static String detail(String message) {
    return message.isEmpty() ? "" : ": " + message;
  }

  private static String format(Duration d) {
    return d.toMillis() < 1000
        ? d.toMillis() + "ms"
        : DurationText.format(Duration.ofMillis(d.toMillis() / 100 * 100));
  }

  /** Lab ids are {@code <name>-<suffix>}; the logger category uses the name. */
  private static String labName(String labId) {
    int dash = labId.lastIndexOf('-');
    return dash > 0 ? labId.substring(0, dash) : labId;
  }
}
