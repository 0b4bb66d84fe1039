package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One {@code AppMessage} of a Prism Central error body ({@code data.error[]}) or of a failed task's
 * {@code errorMessages}.
 *
 * @param code the platform code, e.g. {@code VMM-30303}
 * @param errorGroup the error group, e.g. {@code VM_ETAG_MISMATCH}
 * @param message the human-readable message
 * @param severity e.g. {@code ERROR}
 * @param argumentsMap the message's arguments, e.g. {@code vm_uuid}
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrismErrorMessage(
    @Nullable String code,
    @Nullable String errorGroup,
    @Nullable String message,
    @Nullable String severity,
    Map<String, Object> argumentsMap) {

  /**
   * Normalises a missing arguments map to an empty one.
   *
   * @param code the platform code
   * @param errorGroup the error group
   * @param message the message
   * @param severity the severity
   * @param argumentsMap the arguments, or {@code null}
   */
  public PrismErrorMessage {
    argumentsMap = argumentsMap == null ? Map.of() : Map.copyOf(argumentsMap);
  }

  /**
   * Creates a message without arguments.
   *
   * @param code the platform code
   * @param errorGroup the error group
   * @param message the message
   * @return the message
   */
  public static PrismErrorMessage of(
      @Nullable String code, @Nullable String errorGroup, @Nullable String message) {
    return new PrismErrorMessage(code, errorGroup, message, "ERROR", Map.of());
  }

  /** {@return "CODE GROUP: message", leaving out what is missing} */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (code != null && !code.isEmpty()) {
      s.append(code);
    }
    if (errorGroup != null && !errorGroup.isEmpty()) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(errorGroup);
    }
    if (message != null && !message.isEmpty()) {
      if (s.length() > 0) {
        s.append(": ");
      }
      s.append(message);
    }
    return s.length() == 0 ? "(no message)" : s.toString();
  }
}
