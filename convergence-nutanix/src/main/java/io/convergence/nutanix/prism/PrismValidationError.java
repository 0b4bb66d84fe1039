package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * One {@code SchemaValidationErrorMessage} of a 400 schema validation error.
 *
 * @param location where the bad value is, e.g. {@code body}
 * @param attributePath the attribute, e.g. {@code memorySizeBytes}
 * @param message what is wrong, e.g. {@code must be greater than or equal to 1}
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrismValidationError(
    @Nullable String location, @Nullable String attributePath, @Nullable String message) {

  /** {@return "attributePath: message"} */
  @Override
  public String toString() {
    return (attributePath == null ? "?" : attributePath)
        + ": "
        + (message == null ? "(no message)" : message);
  }
}
