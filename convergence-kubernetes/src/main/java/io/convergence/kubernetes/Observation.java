package io.convergence.kubernetes;

import io.convergence.spec.Stage;
import io.convergence.spi.StageObserver;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an object's status says about a workload's progress: the highest stage reached, or a failure
 * that will not heal by waiting. Produced by the {@code XToStage} mappers, reported to a {@link
 * StageObserver}.
 *
 * @param reached the highest stage reached, or {@code null} when none beyond creation
 * @param detail what was seen (node, IP), for the event
 * @param failure a failure, or {@code null}
 * @since 0.1.0
 */
public record Observation(@Nullable Stage reached, String detail, @Nullable Failure failure) {

  /** Nothing to report yet. */
  public static final Observation NOTHING = new Observation(null, "", null);

  /**
   * A failure to reach a stage.
   *
   * @param stage the stage that cannot be reached
   * @param reason the platform's reason, e.g. {@code ErrImagePull}
   * @param message the platform's message
   * @param hint what to check next
   * @since 0.1.0
   */
  public record Failure(Stage stage, String reason, String message, String hint) {}

  /**
   * A stage reached.
   *
   * @param stage the stage
   * @param detail what was seen
   * @return the observation
   */
  public static Observation reached(Stage stage, String detail) {
    return new Observation(stage, detail, null);
  }

  /**
   * A failure.
   *
   * @param stage the stage that cannot be reached
   * @param reason the platform's reason
   * @param message the platform's message
   * @param hint what to check next
   * @return the observation
   */
  public static Observation failed(Stage stage, String reason, String message, String hint) {
    return new Observation(null, "", new Failure(stage, reason, message, hint));
  }

  /**
   * The failure, if any.
   *
   * @return the failure
   */
  public Optional<Failure> optionalFailure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Reports this observation.
   *
   * @param observer where to report
   */
  public void reportTo(StageObserver observer) {
    if (failure != null) {
      observer.failed(failure.stage(), failure.reason(), failure.message(), failure.hint());
    } else if (reached != null) {
      observer.reached(reached, detail);
    }
  }
}
