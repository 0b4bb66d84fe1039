package io.convergence.testkit;

import io.convergence.Convergence;
import io.convergence.spec.Stage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the contract suite needs from the platform under test: clients of it, a view of what it
 * stores and of the requests it received, and fault injection. A backend's contract test implements
 * it over its simulator (or a real platform, where faults cannot be injected and those tests are
 * opted out).
 *
 * <p>The platform must take some time between stages (tens of milliseconds is enough), so that the
 * suite can observe that independent workloads are provisioned at the same time.
 *
 * @since 0.1.0
 */
public interface ContractTarget {

  /**
   * A new client of the platform under test, using {@code clock} for expiry. The suite closes it.
   *
   * @param clock the clock
   * @return the client
   */
  Convergence connect(Clock clock);

  /**
   * A Linux VM image the platform boots.
   *
   * @return the image name or reference
   */
  String linuxImage();

  /**
   * A Windows VM image the platform boots.
   *
   * @return the image name or reference
   */
  String windowsImage();

  /**
   * A container image the platform runs.
   *
   * @return the image reference
   */
  String containerImage();

  /**
   * Every object on the platform that carries labels, whoever created it, terminating ones
   * included.
   *
   * @return the objects
   */
  List<PlatformObject> objects();

  /**
   * Requests the platform received so far (every read, write and watch).
   *
   * @return the count
   */
  long requestCount();

  /**
   * The environment of a container as the platform stores it: plain values as they are, values
   * delivered through the platform's secret store as {@code secret:<where>} (never the value).
   *
   * @param labId the lab's id
   * @param workload the container's name
   * @return name to value
   */
  Map<String, String> containerEnv(String labId, String workload);

  /**
   * Makes workloads of this name fail to reach {@code stage} with the platform's reason.
   *
   * @param workload the workload's name
   * @param stage the stage
   * @param reason the platform's reason, e.g. {@code ErrImagePull}
   */
  void failAt(String workload, Stage stage, String reason);

  /**
   * Makes workloads of this name never reach {@code stage}.
   *
   * @param workload the workload's name
   * @param stage the stage
   */
  void hangAt(String workload, Stage stage);

  /** Makes the next removal of a lab fail once. */
  void failTeardownOnce();

  /** Removes every injected fault. */
  void clearFaults();

  /**
   * Puts an object on the platform that carries labels but was not created by Convergence.
   *
   * @param name its name
   */
  void createForeignObject(String name);

  /**
   * How long the platform takes at most to move a workload through all its stages, without faults;
   * the suite uses it to choose timeouts.
   *
   * @return the time
   */
  default Duration typicalReadiness() {
    return Duration.ofSeconds(5);
  }
}
