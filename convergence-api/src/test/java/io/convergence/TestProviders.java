package io.convergence;

import io.convergence.config.ConvergenceConfig;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;

/** Providers for the discovery tests, registered in src/test/resources/META-INF/services. */
final class TestProviders {
  private TestProviders() {}

  abstract static class Base implements BackendProvider {
    @Override
    public Availability availability(ConvergenceConfig config) {
      return config.getBoolean("off", false) ? Availability.no("switched off") : Availability.yes();
    }

    @Override
    public Backend create(BackendContext context) {
      throw new UnsupportedOperationException(
          "discovery test provider " + id() + " creates no backend");
    }
  }

  /** Priority 10. */
  public static final class High extends Base {
    @Override
    public String id() {
      return "test-high";
    }

    @Override
    public int priority() {
      return 10;
    }
  }

  /** Priority -10. */
  public static final class Low extends Base {
    @Override
    public String id() {
      return "test-low";
    }

    @Override
    public int priority() {
      return -10;
    }
  }

  /** Never available. */
  public static final class Down extends Base {
    @Override
    public String id() {
      return "test-down";
    }

    @Override
    public Availability availability(ConvergenceConfig config) {
      return Availability.no("endpoint unreachable; check convergence.test-down.url");
    }
  }
}
