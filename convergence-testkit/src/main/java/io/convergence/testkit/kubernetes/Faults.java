package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.Stage;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Faults injected into the simulated platform, by workload: the value of the {@value
 * #WORKLOAD_LABEL} label on a Pod, a PersistentVolumeClaim, a DataVolume, or a VirtualMachine's
 * {@code spec.template.metadata.labels} (which KubeVirt copies onto the VMI and its virt-launcher
 * pod). One instance is shared by every simulator of a platform; it is thread-safe and faults apply
 * from the next step a simulator takes.
 *
 * <p>What each stage fault looks like on the platform:
 *
 * <ul>
 *   <li>{@link Stage#SCHEDULED}: the pod stays {@code Pending} with {@code PodScheduled=False},
 *       reason {@code Unschedulable} and the message; a VM shows {@code ErrorUnschedulable}.
 *   <li>{@link Stage#RUNNING}: the pod's first container waits with the reason and message (e.g.
 *       {@code ErrImagePull}, then {@code ImagePullBackOff}; {@code CrashLoopBackOff} restarts it);
 *       a VM shows the reason as its {@code printableStatus}.
 *   <li>{@link Stage#NETWORK}: pods stay {@code ContainerCreating} without an IP (a pod's IP comes
 *       with running); a failure also writes a {@code FailedCreatePodSandBox} event with the reason
 *       and message, as a failing CNI plugin does. VMs: the VMI runs but its interfaces never get
 *       an IP address (its virt-launcher pod runs).
 *   <li>{@link Stage#CREATED}: not a simulator fault; make the API refuse the create with {@link
 *       EmbeddedKubernetes#inject(RequestFault)}.
 *   <li>{@link Stage#GUEST}: the guest agent never connects ({@code AgentConnected} never set).
 *   <li>{@link Stage#PROBE}: readiness probes never pass ({@code Ready=False} forever).
 * </ul>
 *
 * @since 0.1.0
 */
public final class Faults {

  /** The label whose value names a workload: {@value}. */
  public static final String WORKLOAD_LABEL = "convergence.io/workload";

  /** The default unschedulable message, as the scheduler writes it for a three-node cluster. */
  public static final String INSUFFICIENT_CPU = "0/3 nodes are available: 3 Insufficient cpu.";

  /**
   * A fault at one stage.
   *
   * @param stage the stage
   * @param hang true: the workload stops before the stage, without any error; false: it fails
   * @param reason the platform's reason (empty for a hang)
   * @param message the platform's message (empty for a hang)
   */
  public record StageFault(Stage stage, boolean hang, String reason, String message) {

    /**
     * Checks the fields.
     *
     * @param stage the stage
     * @param hang whether it is a hang
     * @param reason the reason
     * @param message the message
     */
    public StageFault {
      requireNonNull(stage, "stage");
      requireNonNull(reason, "reason");
      requireNonNull(message, "message");
    }
  }

  private final Map<String, Map<Stage, StageFault>> stageFaults = new ConcurrentHashMap<>();
  private final Set<String> crashes = ConcurrentHashMap.newKeySet();
  private final Set<String> neverBind = ConcurrentHashMap.newKeySet();
  private final Set<String> noLoadBalancer = ConcurrentHashMap.newKeySet();
  private final Map<String, String> importFailures = new ConcurrentHashMap<>();
  private final Map<String, Duration> importSteps = new ConcurrentHashMap<>();

  /** No faults. */
  public Faults() {}

  /**
   * Makes the workload fail at {@code stage} with the platform's reason and message.
   *
   * @param workload the workload's name
   * @param stage the stage
   * @param reason e.g. {@code ErrImagePull}
   * @param message the platform's message
   * @return these faults
   */
  public Faults failAt(String workload, Stage stage, String reason, String message) {
    put(workload, new StageFault(stage, false, reason, message));
    return this;
  }

  /**
   * Makes the workload stop progressing before {@code stage}, without an error.
   *
   * @param workload the workload's name
   * @param stage the stage it never reaches
   * @return these faults
   */
  public Faults hangBefore(String workload, Stage stage) {
    put(workload, new StageFault(stage, true, "", ""));
    return this;
  }

  /**
   * The scheduler finds no node: {@value #INSUFFICIENT_CPU}
   *
   * @param workload the workload's name
   * @return these faults
   */
  public Faults unschedulable(String workload) {
    return failAt(workload, Stage.SCHEDULED, "Unschedulable", INSUFFICIENT_CPU);
  }

  /**
   * The workload's image cannot be pulled ({@code ErrImagePull}, then {@code ImagePullBackOff}).
   *
   * @param workload the workload's name
   * @return these faults
   */
  public Faults imagePullFails(String workload) {
    return failAt(
        workload,
        Stage.RUNNING,
        "ErrImagePull",
        "rpc error: code = Unknown desc = failed to pull and unpack image: failed to resolve"
            + " reference: unexpected status from HEAD request: 403 Forbidden");
  }

  /**
   * The workload's main container exits with code 1 shortly after it started. A pod with {@code
   * restartPolicy: Never} (every virt-launcher pod) goes {@code Failed}, and so does its VMI;
   * otherwise the kubelet restarts it and it shows {@code CrashLoopBackOff}, as a real kubelet
   * does.
   *
   * @param workload the workload's name
   * @return these faults
   */
  public Faults crash(String workload) {
    crashes.add(requireNonNull(workload, "workload"));
    return this;
  }

  /**
   * The VM's guest agent never connects: no {@code AgentConnected} condition, no {@code
   * guestOSInfo}.
   *
   * @param workload the workload's name
   * @return these faults
   */
  public Faults agentNeverConnects(String workload) {
    return hangBefore(workload, Stage.GUEST);
  }

  /**
   * PersistentVolumeClaims of the workload (or the claim of this name) are never bound.
   *
   * @param workloadOrClaim a workload's name or a claim's name
   * @return these faults
   */
  public Faults volumeNeverBinds(String workloadOrClaim) {
    neverBind.add(requireNonNull(workloadOrClaim, "workloadOrClaim"));
    return this;
  }

  /**
   * Services of type LoadBalancer of the workload (or the Service of this name) never get an
   * address: {@code status.loadBalancer.ingress} stays empty, as on a cluster without a
   * load-balancer implementation.
   *
   * @param workloadOrService a workload's name or a Service's name
   * @return these faults
   */
  public Faults noLoadBalancerAddress(String workloadOrService) {
    noLoadBalancer.add(requireNonNull(workloadOrService, "workloadOrService"));
    return this;
  }

  /**
   * The workload's DataVolume imports fail: the importer restarts with the message, then the
   * DataVolume goes {@code Failed}; a VM shows {@code DataVolumeError}.
   *
   * @param workload the workload's name
   * @param message the importer's error, e.g. {@code Unable to connect to http data source}
   * @return these faults
   */
  public Faults importFails(String workload, String message) {
    importFailures.put(requireNonNull(workload, "workload"), requireNonNull(message, "message"));
    return this;
  }

  /**
   * Slows the workload's DataVolume import: each progress step takes {@code perStep}.
   *
   * @param workload the workload's name
   * @param perStep the latency of each progress step
   * @return these faults
   */
  public Faults slowImport(String workload, Duration perStep) {
    importSteps.put(requireNonNull(workload, "workload"), requireNonNull(perStep, "perStep"));
    return this;
  }

  /**
   * Removes every fault of a workload.
   *
   * @param workload the workload's name
   * @return these faults
   */
  public Faults clear(String workload) {
    stageFaults.remove(workload);
    crashes.remove(workload);
    neverBind.remove(workload);
    noLoadBalancer.remove(workload);
    importFailures.remove(workload);
    importSteps.remove(workload);
    return this;
  }

  /** Removes every fault. */
  public void clear() {
    stageFaults.clear();
    crashes.clear();
    neverBind.clear();
    noLoadBalancer.clear();
    importFailures.clear();
    importSteps.clear();
  }

  private void put(String workload, StageFault fault) {
    stageFaults
        .computeIfAbsent(requireNonNull(workload, "workload"), k -> new ConcurrentHashMap<>())
        .put(fault.stage(), fault);
  }

  // ------------------------------------------------------------------ queries (for simulators)

  /**
   * The fault of a workload at a stage, if any.
   *
   * @param workload the workload's name, null when the object names none
   * @param stage the stage
   * @return the fault
   */
  public Optional<StageFault> at(@Nullable String workload, Stage stage) {
    if (workload == null) {
      return Optional.empty();
    }
    Map<Stage, StageFault> m = stageFaults.get(workload);
    if (m == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(m.get(stage));
  }

  /**
   * Whether the workload's main container crashes.
   *
   * @param workload the workload's name, or null
   * @return whether it does
   */
  public boolean crashes(@Nullable String workload) {
    return workload != null && crashes.contains(workload);
  }

  /**
   * Whether a claim must never be bound.
   *
   * @param workload the claim's workload, or null
   * @param claimName the claim's name
   * @return whether it must not
   */
  public boolean neverBinds(@Nullable String workload, String claimName) {
    return neverBind.contains(claimName) || (workload != null && neverBind.contains(workload));
  }

  /**
   * Whether a LoadBalancer Service must never get an address.
   *
   * @param workload the Service's workload, or null
   * @param serviceName the Service's name
   * @return whether it must not
   */
  public boolean withholdsLoadBalancer(@Nullable String workload, String serviceName) {
    return noLoadBalancer.contains(serviceName)
        || (workload != null && noLoadBalancer.contains(workload));
  }

  /**
   * The import error of the workload's DataVolumes, if they must fail.
   *
   * @param workload the workload's name, or null
   * @return the error message
   */
  public Optional<String> importFailure(@Nullable String workload) {
    return workload == null ? Optional.empty() : Optional.ofNullable(importFailures.get(workload));
  }

  /**
   * The latency of each import progress step of the workload's DataVolumes, if slowed.
   *
   * @param workload the workload's name, or null
   * @return the latency
   */
  public Optional<Duration> importStepLatency(@Nullable String workload) {
    return workload == null ? Optional.empty() : Optional.ofNullable(importSteps.get(workload));
  }
}
