package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * A category key/value pair ({@code prism.v4.config.Category}). Labs tag every VM with one, e.g.
 * {@code ConvergenceLab=run-42}, to find and sweep what they created.
 *
 * @param extId the category's extId
 * @param key its key, at most 64 characters
 * @param value its value, at most 64 characters
 * @param description its description
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Category(String extId, String key, String value, @Nullable String description) {}
