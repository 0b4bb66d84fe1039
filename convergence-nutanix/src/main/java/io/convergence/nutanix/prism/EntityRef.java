package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * A reference to another entity by extId, as in {@code "cluster":{"extId":"…"}}.
 *
 * @param extId the referenced entity's extId
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EntityRef(@Nullable String extId) {}
