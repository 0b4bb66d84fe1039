package io.convergence.testkit.inmemory;

import io.convergence.Feature;
import io.convergence.config.ConvergenceConfig;
import io.convergence.spec.Stage;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Provides the {@code inmemory} backend. Settings (under {@code convergence.inmemory.}):
 *
 * <ul>
 *   <li>{@code platform}: the name of the shared {@link InMemoryPlatform} (default {@code
 *       default});
 *   <li>{@code latency}: every stage's latency, e.g. {@code 200ms}; {@code latency.<stage>} for one
 *       stage;
 *   <li>{@code delete-latency}: how long deleted objects stay terminating;
 *   <li>{@code without-features}: features to leave out, comma-separated (e.g. {@code
 *       WINDOWS_GUESTS}), to test how code reacts to a backend that lacks them.
 * </ul>
 *
 * <p>Its priority is the lowest, so that any configured real backend wins autodetection.
 *
 * @since 0.1.0
 */
public final class InMemoryBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "inmemory";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public InMemoryBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return -100;
  }

  @Override
  public Availability availability(ConvergenceConfig config) {
    return Availability.yes();
  }

  @Override
  public Backend create(BackendContext context) {
    ConvergenceConfig config = context.config();
    InMemoryPlatform platform = InMemoryPlatform.named(config.get("platform").orElse("default"));
    config
        .get("latency")
        .ifPresent(x -> platform.latency(config.getDuration("latency", Duration.ZERO)));
    for (Stage s : Stage.values()) {
      String key = "latency." + s.id();
      if (config.get(key).isPresent()) {
        platform.latency(s, config.getDuration(key, Duration.ZERO));
      }
    }
    if (config.get("delete-latency").isPresent()) {
      platform.deleteLatency(config.getDuration("delete-latency", Duration.ZERO));
    }
    Set<Feature> features = EnumSet.allOf(Feature.class);
    for (String f : config.get("without-features").orElse("").split(",")) {
      if (!f.isBlank()) {
        try {
          features.remove(Feature.valueOf(f.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              config.describe("without-features")
                  + ": \""
                  + f.trim()
                  + "\" is not a feature; use one of "
                  + EnumSet.allOf(Feature.class),
              e);
        }
      }
    }
    return new InMemoryBackend(platform, features);
  }
}
