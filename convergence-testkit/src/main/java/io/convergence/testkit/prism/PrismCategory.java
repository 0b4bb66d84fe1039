package io.convergence.testkit.prism;

import org.jspecify.annotations.Nullable;

/**
 * A category of a {@link FakePrismCentral} ({@code prism.v4.config.Category}), created through the
 * API.
 *
 * @param extId the category's extId
 * @param key its key, e.g. {@code ConvergenceLab}
 * @param value its value, e.g. {@code run-1}
 * @param description its description, null when none was given
 * @since 0.1.0
 */
public record PrismCategory(String extId, String key, String value, @Nullable String description) {}
