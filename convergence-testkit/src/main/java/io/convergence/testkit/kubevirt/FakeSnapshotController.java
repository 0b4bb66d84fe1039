package io.convergence.testkit.kubevirt;

import static io.convergence.testkit.kubernetes.internal.Gkr.deleting;
import static io.convergence.testkit.kubernetes.internal.Gkr.op;
import static io.convergence.testkit.kubernetes.internal.Gkr.spec;
import static io.convergence.testkit.kubernetes.internal.Gkr.status;
import static io.convergence.testkit.kubevirt.KubeVirtResources.VIRTUAL_MACHINE;
import static io.convergence.testkit.kubevirt.KubeVirtResources.VIRTUAL_MACHINE_INSTANCE;
import static io.convergence.testkit.kubevirt.KubeVirtResources.VIRTUAL_MACHINE_RESTORE;
import static io.convergence.testkit.kubevirt.KubeVirtResources.VIRTUAL_MACHINE_SNAPSHOT;
import static java.util.Objects.requireNonNull;

import io.convergence.testkit.kubernetes.Latencies;
import io.convergence.testkit.kubernetes.internal.Cache;
import io.convergence.testkit.kubernetes.internal.Conditions;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Does what KubeVirt's snapshot controller does for {@code snapshot.kubevirt.io/v1beta1}
 * VirtualMachineSnapshots and VirtualMachineRestores, one {@linkplain Latencies latency} per step:
 *
 * <ul>
 *   <li>A snapshot of an existing VM ({@code spec.source {apiGroup: kubevirt.io, kind:
 *       VirtualMachine, name}}) goes {@code InProgress} ({@code Progressing=True}, {@code
 *       Ready=False}, {@code indications} {@code Online} and {@code GuestAgent}/{@code
 *       NoGuestAgent} when the VM runs, {@code snapshotVolumes}, {@code sourceUID}, {@code
 *       virtualMachineSnapshotContentName}), then {@code Succeeded} with {@code readyToUse: true},
 *       {@code creationTime}, {@code Progressing=False} and {@code Ready=True}. A snapshot of a
 *       missing VM goes {@code Failed} with {@code status.error.message}.
 *   <li>A restore waits until its snapshot is ready to use. If the target VM runs: with {@code
 *       targetReadinessPolicy: StopTarget} it stops the VM (sets {@code spec.runStrategy: Halted})
 *       and waits until its VMI is gone; with {@code FailImmediate} it fails; otherwise it waits
 *       for the VM to be stopped by someone else. Then it puts back the VM's spec as it was at
 *       snapshot time (so the VM runs again if its run strategy then said so) and completes: {@code
 *       complete: true}, {@code restoreTime}, {@code Progressing=False}, {@code Ready=True}.
 * </ul>
 *
 * <p>What it does not simulate: VirtualMachineSnapshotContent objects and CSI VolumeSnapshots (the
 * VM spec at snapshot time is kept in memory, so a restore after a simulator restart only restarts
 * the VM), volume contents (claims are not replaced; {@code restores[]} is not written), {@code
 * volumeRestorePolicy}, {@code patches}, restoring into a new VM, {@code failureDeadline}, guest
 * freeze/thaw, online snapshot of hot-plugged volumes.
 *
 * @since 0.1.0
 */
public final class FakeSnapshotController implements AutoCloseable {

  private final SnapshotController controller;
  private final Latencies latencies;

  private FakeSnapshotController(KubernetesClient client, Latencies latencies, Set<String> ns) {
    this.latencies = latencies;
    this.controller = new SnapshotController(client, ns);
  }

  /**
   * Starts a controller watching every namespace.
   *
   * @param client the client it reads and writes with
   * @param latencies the latencies (shared with the other simulators)
   * @return the running controller
   */
  public static FakeSnapshotController start(KubernetesClient client, Latencies latencies) {
    return start(client, latencies, Set.of());
  }

  /**
   * Starts a controller.
   *
   * @param client the client it reads and writes with
   * @param latencies the latencies (shared with the other simulators)
   * @param namespaces the namespaces to watch, empty for all
   * @return the running controller
   */
  public static FakeSnapshotController start(
      KubernetesClient client, Latencies latencies, Set<String> namespaces) {
    FakeSnapshotController c =
        new FakeSnapshotController(
            requireNonNull(client, "client"),
            requireNonNull(latencies, "latencies"),
            new LinkedHashSet<>(namespaces));
    c.controller.start();
    return c;
  }

  /** Stops watching. */
  @Override
  public void close() {
    controller.close();
  }

  @Override
  public String toString() {
    return "FakeSnapshotController{" + latencies.step() + "}";
  }

  private final class SnapshotController extends Controller {
    private final Cache<GenericKubernetesResource> snapshots = new Cache<>();
    private final Cache<GenericKubernetesResource> restores = new Cache<>();
    private final Cache<GenericKubernetesResource> vms = new Cache<>();
    private final Cache<GenericKubernetesResource> vmis = new Cache<>();
    private final Set<String> namespaces;

    /**
     * The VM spec at snapshot time, by snapshot uid (stands in for VirtualMachineSnapshotContent).
     */
    private final Map<String, Map<String, Object>> contents = new ConcurrentHashMap<>();

    SnapshotController(KubernetesClient client, Set<String> namespaces) {
      super("snapshot-controller", client, 2);
      this.namespaces = Set.copyOf(namespaces);
    }

    @Override
    protected void startInformers() {
      List<String> scopes =
          namespaces.isEmpty()
              ? java.util.Collections.singletonList(null)
              : List.copyOf(namespaces);
      for (String ns : scopes) {
        inform(
            ns == null
                ? client.genericKubernetesResources(VIRTUAL_MACHINE_SNAPSHOT).inAnyNamespace()
                : client.genericKubernetesResources(VIRTUAL_MACHINE_SNAPSHOT).inNamespace(ns),
            snapshots,
            s -> {
              List<String> keys = new ArrayList<>(List.of(key("snapshot", s)));
              keys.addAll(
                  restoresOf(s.getMetadata().getNamespace(), null, s.getMetadata().getName()));
              return keys;
            });
        inform(
            ns == null
                ? client.genericKubernetesResources(VIRTUAL_MACHINE_RESTORE).inAnyNamespace()
                : client.genericKubernetesResources(VIRTUAL_MACHINE_RESTORE).inNamespace(ns),
            restores,
            r -> List.of(key("restore", r)));
        inform(
            ns == null
                ? client.genericKubernetesResources(VIRTUAL_MACHINE).inAnyNamespace()
                : client.genericKubernetesResources(VIRTUAL_MACHINE).inNamespace(ns),
            vms,
            vm -> restoresOf(vm.getMetadata().getNamespace(), vm.getMetadata().getName(), null));
        inform(
            ns == null
                ? client.genericKubernetesResources(VIRTUAL_MACHINE_INSTANCE).inAnyNamespace()
                : client.genericKubernetesResources(VIRTUAL_MACHINE_INSTANCE).inNamespace(ns),
            vmis,
            vmi -> restoresOf(vmi.getMetadata().getNamespace(), vmi.getMetadata().getName(), null));
      }
    }

    /** Unfinished restores of the namespace targeting the VM or using the snapshot. */
    private List<String> restoresOf(String ns, @Nullable String vm, @Nullable String snapshot) {
      List<String> keys = new ArrayList<>();
      for (GenericKubernetesResource r : restores.list(ns)) {
        if (Boolean.TRUE.equals(Json.bool(r.getAdditionalProperties(), "status", "complete"))) {
          continue;
        }
        Map<String, Object> spec = spec(r);
        if ((vm != null && vm.equals(Json.str(spec, "target", "name")))
            || (snapshot != null
                && snapshot.equals(Json.str(spec, "virtualMachineSnapshotName")))) {
          keys.add(key("restore", r));
        }
      }
      return keys;
    }

    @Override
    protected void reconcile(String key) {
      String[] k = split(key);
      if (k[0].equals("snapshot")) {
        reconcileSnapshot(key, k[1], k[2]);
      } else {
        reconcileRestore(key, k[1], k[2]);
      }
    }

    private void reconcileSnapshot(String key, String ns, String name) {
      GenericKubernetesResource snap = snapshots.get(ns, name);
      if (snap == null) {
        forget(key);
        return;
      }
      if (deleting(snap)) {
        return;
      }
      String uid = snap.getMetadata().getUid();
      Duration latency = latencies.step();
      Map<String, Object> status = Json.copy(status(snap));
      String phase = Json.strOr(status, "", "phase");
      if (phase.equals("Succeeded") || phase.equals("Failed")) {
        return;
      }
      String vmName = Json.strOr(spec(snap), "", "source", "name");
      GenericKubernetesResource vm = vms.get(ns, vmName);
      if (phase.isEmpty()) {
        if (!due(key, uid, "InProgress", latency)) {
          return;
        }
        if (vm == null) {
          String message = "VirtualMachine.kubevirt.io \"" + vmName + "\" not found";
          status.put("phase", "Failed");
          status.put("readyToUse", false);
          status.put("error", Json.obj("message", message, "time", now()));
          setConditions(
              status,
              List.of(
                  Conditions.of("Progressing", false, "Source not found", message),
                  Conditions.of("Ready", false, "Source not found", message)));
          Gkr.writeStatus(client, VIRTUAL_MACHINE_SNAPSHOT, snap, status);
          done(key, uid, "InProgress");
          return;
        }
        contents.put(uid, Json.copy(spec(vm)));
        GenericKubernetesResource vmi = vmis.get(ns, vmName);
        List<String> indications = new ArrayList<>();
        if (vmi != null && !FakeVirtController.isFinal(vmi)) {
          indications.add("Online");
          indications.add(
              Conditions.isTrue(
                      Json.maps(vmi.getAdditionalProperties(), "status", "conditions"),
                      "AgentConnected")
                  ? "GuestAgent"
                  : "NoGuestAgent");
        }
        status.put("phase", "InProgress");
        status.put("readyToUse", false);
        status.put("sourceUID", vm.getMetadata().getUid());
        status.put("virtualMachineSnapshotContentName", "vmsnapshot-content-" + uid);
        if (!indications.isEmpty()) {
          status.put("indications", indications);
        }
        status.put("snapshotVolumes", snapshotVolumes(vm));
        setConditions(
            status,
            List.of(
                Conditions.of("Progressing", true, "Source locked and operation in progress", null),
                Conditions.of("Ready", false, "Not ready", null)));
        Gkr.writeStatus(client, VIRTUAL_MACHINE_SNAPSHOT, snap, status);
        done(key, uid, "InProgress");
        return;
      }
      if (!due(key, uid, "Succeeded", latency)) {
        return;
      }
      status.put("phase", "Succeeded");
      status.put("readyToUse", true);
      status.put("creationTime", now());
      setConditions(
          status,
          List.of(
              Conditions.of("Progressing", false, "Operation complete", null),
              Conditions.of("Ready", true, "Operation complete", null)));
      Gkr.writeStatus(client, VIRTUAL_MACHINE_SNAPSHOT, snap, status);
      done(key, uid, "Succeeded");
    }

    private Map<String, Object> snapshotVolumes(GenericKubernetesResource vm) {
      List<String> included = new ArrayList<>();
      List<String> excluded = new ArrayList<>();
      for (Map<String, Object> v :
          Json.maps(vm.getAdditionalProperties(), "spec", "template", "spec", "volumes")) {
        String name = Json.strOr(v, "", "name");
        if (v.containsKey("dataVolume") || v.containsKey("persistentVolumeClaim")) {
          included.add(name);
        } else {
          excluded.add(name);
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      if (!included.isEmpty()) {
        out.put("includedVolumes", included);
      }
      if (!excluded.isEmpty()) {
        out.put("excludedVolumes", excluded);
      }
      return out;
    }

    private void reconcileRestore(String key, String ns, String name) {
      GenericKubernetesResource restore = restores.get(ns, name);
      if (restore == null) {
        forget(key);
        return;
      }
      Map<String, Object> status = Json.copy(status(restore));
      if (deleting(restore) || Boolean.TRUE.equals(Json.bool(status, "complete"))) {
        return;
      }
      String uid = restore.getMetadata().getUid();
      Duration latency = latencies.step();
      Map<String, Object> spec = spec(restore);
      String vmName = Json.strOr(spec, "", "target", "name");
      String snapName = Json.strOr(spec, "", "virtualMachineSnapshotName");
      String policy = Json.strOr(spec, "WaitGracePeriod", "targetReadinessPolicy");
      GenericKubernetesResource snap = snapshots.get(ns, snapName);
      GenericKubernetesResource vm = vms.get(ns, vmName);
      status.putIfAbsent("complete", false);
      if (snap == null
          || !Boolean.TRUE.equals(
              Json.bool(snap.getAdditionalProperties(), "status", "readyToUse"))) {
        setConditions(
            status,
            List.of(
                Conditions.of(
                    "Progressing",
                    false,
                    "VirtualMachineSnapshot not ready",
                    "waiting for VirtualMachineSnapshot " + snapName + " to be ready to use"),
                Conditions.of("Ready", false, "VirtualMachineSnapshot not ready", null)));
        Gkr.writeStatus(client, VIRTUAL_MACHINE_RESTORE, restore, status);
        return;
      }
      if (vm == null) {
        setConditions(
            status,
            List.of(
                Conditions.of(
                    "Progressing",
                    false,
                    "Target not found",
                    "VirtualMachine.kubevirt.io \"" + vmName + "\" not found"),
                Conditions.of("Ready", false, "Target not found", null)));
        Gkr.writeStatus(client, VIRTUAL_MACHINE_RESTORE, restore, status);
        return;
      }
      GenericKubernetesResource vmi = vmis.get(ns, vmName);
      if (vmi != null) {
        String message;
        if (policy.equals("StopTarget")) {
          if (!FakeVirtController.runStrategy(vm).equals("Halted")) {
            stop(vm);
          }
          message = "Stopping target VirtualMachine " + vmName;
        } else if (policy.equals("FailImmediate")) {
          message =
              "target VirtualMachine "
                  + vmName
                  + " is running and targetReadinessPolicy is FailImmediate";
          setConditions(
              status,
              List.of(
                  Conditions.of("Progressing", false, "Target not ready", message),
                  Conditions.of("Ready", false, "Target not ready", message)));
          Gkr.writeStatus(client, VIRTUAL_MACHINE_RESTORE, restore, status);
          return;
        } else {
          message = "Waiting for target VirtualMachine " + vmName + " to be stopped";
        }
        setConditions(
            status,
            List.of(
                Conditions.of("Progressing", true, "Initializing VirtualMachineRestore", message),
                Conditions.of("Ready", false, "Waiting for target to be ready", message)));
        Gkr.writeStatus(client, VIRTUAL_MACHINE_RESTORE, restore, status);
        return;
      }
      if (!due(key, uid, "restore", latency)) {
        return;
      }
      Map<String, Object> content = contents.get(snap.getMetadata().getUid());
      List<Map<String, Object>> ops = new ArrayList<>();
      if (content != null) {
        ops.add(op("add", "/spec", content));
      } else if (!FakeVirtController.runStrategy(vm).equals("Halted")) {
        ops = null; // nothing known to restore
      }
      if (ops != null && !ops.isEmpty()) {
        Gkr.jsonPatch(client, VIRTUAL_MACHINE, ns, vmName, ops);
      }
      status.put("complete", true);
      status.put("restoreTime", now());
      setConditions(
          status,
          List.of(
              Conditions.of("Progressing", false, "Operation complete", null),
              Conditions.of("Ready", true, "Operation complete", null)));
      Gkr.writeStatus(client, VIRTUAL_MACHINE_RESTORE, restore, status);
      done(key, uid, "restore");
    }

    private void stop(GenericKubernetesResource vm) {
      Map<String, Object> spec = spec(vm);
      List<Map<String, Object>> ops = new ArrayList<>();
      if (spec.containsKey("running") && !spec.containsKey("runStrategy")) {
        ops.add(op("add", "/spec/running", false));
      } else {
        ops.add(op("add", "/spec/runStrategy", "Halted"));
      }
      Gkr.jsonPatch(
          client,
          VIRTUAL_MACHINE,
          vm.getMetadata().getNamespace(),
          vm.getMetadata().getName(),
          ops);
    }

    private void setConditions(Map<String, Object> status, List<Map<String, Object>> wanted) {
      status.put(
          "conditions",
          Conditions.merge(Json.maps(status, "conditions"), wanted, now(), "lastTransitionTime"));
    }
  }
}
