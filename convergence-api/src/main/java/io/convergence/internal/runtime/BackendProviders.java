package io.convergence.internal.runtime;

import io.convergence.BackendNotFoundException;
import io.convergence.BackendUnavailableException;
import io.convergence.config.ConvergenceConfig;
import io.convergence.spi.Availability;
import io.convergence.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link BackendProvider}s with {@link ServiceLoader}: first through the thread's context
 * class loader, then through the API's own, de-duplicated by id.
 */
public final class BackendProviders {
  private static final Logger log = LoggerFactory.getLogger(BackendProviders.class);

  private BackendProviders() {}

  /** Every provider on the classpath, highest priority first. */
  public static List<BackendProvider> all() {
    Map<String, BackendProvider> byId = new LinkedHashMap<>();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      ServiceLoader.load(BackendProvider.class, context).forEach(p -> byId.putIfAbsent(p.id(), p));
    }
    ServiceLoader.load(BackendProvider.class, BackendProviders.class.getClassLoader())
        .forEach(p -> byId.putIfAbsent(p.id(), p));
    List<BackendProvider> providers = new ArrayList<>(byId.values());
    providers.sort(
        Comparator.comparingInt(BackendProvider::priority)
            .reversed()
            .thenComparing(BackendProvider::id));
    return providers;
  }

  /** The provider of {@code id}. */
  public static BackendProvider byId(String id) {
    List<BackendProvider> providers = all();
    return providers.stream()
        .filter(p -> p.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new BackendNotFoundException(
                    id, providers.stream().map(BackendProvider::id).toList()));
  }

  /** Checks that the provider can be used, failing with its reason. */
  public static void requireAvailable(BackendProvider provider, ConvergenceConfig config) {
    Availability a = safeAvailability(provider, config);
    if (!a.available()) {
      throw new BackendUnavailableException(
          List.of(new BackendUnavailableException.Attempt(provider.id(), a.reason())));
    }
  }

  /** The highest-priority available provider; warns when several share the top priority. */
  public static BackendProvider autodetect(ConvergenceConfig config) {
    List<BackendUnavailableException.Attempt> attempts = new ArrayList<>();
    List<BackendProvider> candidates = new ArrayList<>();
    for (BackendProvider p : all()) {
      Availability a = safeAvailability(p, config.scoped(p.id()));
      if (a.available()) {
        candidates.add(p);
      } else {
        attempts.add(new BackendUnavailableException.Attempt(p.id(), a.reason()));
      }
    }
    if (candidates.isEmpty()) {
      throw new BackendUnavailableException(attempts);
    }
    BackendProvider chosen = candidates.get(0);
    List<String> tied =
        candidates.stream()
            .filter(p -> p.priority() == chosen.priority())
            .map(BackendProvider::id)
            .toList();
    if (tied.size() > 1) {
      log.warn(
          "Backends {} are all available with priority {}; using {}. Choose one with convergence.backend.",
          tied,
          chosen.priority(),
          chosen.id());
    }
    return chosen;
  }

  /** The backend's native client of {@code type}, or an exception listing the types it offers. */
  public static <T> T unwrap(io.convergence.spi.Backend backend, Class<T> type) {
    return backend
        .unwrap(type)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "backend '"
                        + backend.id()
                        + "' cannot be unwrapped to "
                        + type.getName()
                        + "; supported: "
                        + (backend.unwrapTypes().isEmpty()
                            ? "none"
                            : backend.unwrapTypes().stream().map(Class::getName).toList())));
  }

  private static Availability safeAvailability(BackendProvider p, ConvergenceConfig config) {
    try {
      return p.availability(config);
    } catch (RuntimeException e) {
      return Availability.no("availability check failed: " + e);
    }
  }
}
