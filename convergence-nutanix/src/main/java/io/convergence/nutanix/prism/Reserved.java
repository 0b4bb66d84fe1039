package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The {@code $reserved} object of an entity read by extId: the client copies the {@code ETag}
 * response header here.
 *
 * @param etag the entity's ETag, for {@code If-Match}
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reserved(@JsonProperty("ETag") @Nullable String etag) {}
