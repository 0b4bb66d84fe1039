package io.convergence.testkit.prism;

/**
 * A disk image of a {@link FakePrismCentral} ({@code vmm.v4.content.Image}).
 *
 * @param extId the image's extId
 * @param name its name
 * @param sizeBytes its size; a disk cloned from it without {@code diskSizeBytes} gets this size
 * @since 0.1.0
 */
public record PrismImage(String extId, String name, long sizeBytes) {}
