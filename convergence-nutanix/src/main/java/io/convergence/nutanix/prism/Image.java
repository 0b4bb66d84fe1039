package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * An image ({@code vmm.v4.content.Image}), reduced to what a lab needs.
 *
 * @param extId the image's extId
 * @param name its name
 * @param type e.g. {@code DISK_IMAGE} or {@code ISO_IMAGE}
 * @param sizeBytes its size, if known
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Image(String extId, String name, @Nullable String type, @Nullable Long sizeBytes) {}
