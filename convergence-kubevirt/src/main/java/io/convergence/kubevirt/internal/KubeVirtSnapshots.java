package io.convergence.kubevirt.internal;

import static io.convergence.kubevirt.internal.Maps.map;

import io.convergence.BackendException;
import io.convergence.Snapshots;
import io.convergence.kubernetes.KubernetesLab;
import io.convergence.kubevirt.KubeVirtResources;
import io.convergence.spec.VmSpec;
import io.convergence.spi.BackendPlan;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Snapshots and revert of a lab's VMs with {@code snapshot.kubevirt.io/v1beta1}
 * VirtualMachineSnapshot and VirtualMachineRestore; waits on watches for {@code readyToUse} and
 * {@code complete}. A revert stops the VM ({@code targetReadinessPolicy: StopTarget}) and waits
 * until it is ready again.
 */
final class KubeVirtSnapshots implements Snapshots {

  private static final AtomicInteger RESTORES = new AtomicInteger();

  private final KubernetesLab lab;
  private final BackendPlan plan;
  private final Duration timeout;

  KubeVirtSnapshots(KubernetesLab lab, BackendPlan plan, Duration timeout) {
    this.lab = lab;
    this.plan = plan;
    this.timeout = timeout;
  }

  private String vm(String workload) {
    boolean isVm = plan.workload(workload).map(w -> w.spec() instanceof VmSpec).orElse(false);
    if (!isVm) {
      throw new IllegalArgumentException(
          workload + " is not a VM of lab " + plan.ownership().labId());
    }
    return lab.names().objectName(workload);
  }

  private Map<String, String> labels(String workload, String snapshot) {
    Map<String, String> l = new java.util.LinkedHashMap<>(lab.names().labels(workload, Map.of()));
    l.put("convergence.io/snapshot", snapshot);
    return l;
  }

  @Override
  public void snapshot(String workload, String snapshot) {
    String vm = vm(workload);
    String name = vm + "-" + snapshot;
    GenericKubernetesResource s =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(KubeVirtResources.apiVersion(KubeVirtResources.SNAPSHOT))
            .withKind("VirtualMachineSnapshot")
            .withNewMetadata()
            .withName(name)
            .withNamespace(lab.names().namespace())
            .withLabels(labels(workload, snapshot))
            .endMetadata()
            .withAdditionalProperties(
                map(
                    "spec",
                    map(
                        "source",
                        map("apiGroup", "kubevirt.io", "kind", "VirtualMachine", "name", vm))))
            .build();
    lab.createIfAbsent(KubeVirtResources.SNAPSHOT, s);
    GenericKubernetesResource done =
        await(
            KubeVirtResources.SNAPSHOT,
            name,
            o -> {
              Object st = VirtualMachineStatusToStage.status(o);
              return Boolean.TRUE.equals(Maps.at(st, "readyToUse").orElse(false))
                  || "Failed".equals(Maps.text(st, "phase").orElse(""));
            },
            "snapshot " + workload);
    Object st = VirtualMachineStatusToStage.status(done);
    if (!Boolean.TRUE.equals(Maps.at(st, "readyToUse").orElse(false))) {
      throw new BackendException(
          lab.backendId(),
          "snapshot " + workload,
          -1,
          "SnapshotFailed",
          Maps.text(st, "error", "message").orElse("the snapshot failed"),
          "snapshots need CSI VolumeSnapshot support for the VM's volumes",
          null);
    }
  }

  @Override
  public void revert(String workload, String snapshot) {
    String vm = vm(workload);
    if (!list(workload).contains(snapshot)) {
      throw new IllegalArgumentException(
          "VM " + workload + " has no snapshot '" + snapshot + "'; snapshots: " + list(workload));
    }
    String name = vm + "-" + snapshot + "-restore-" + RESTORES.incrementAndGet();
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(KubeVirtResources.apiVersion(KubeVirtResources.RESTORE))
            .withKind("VirtualMachineRestore")
            .withNewMetadata()
            .withName(name)
            .withNamespace(lab.names().namespace())
            .withLabels(labels(workload, snapshot))
            .endMetadata()
            .withAdditionalProperties(
                map(
                    "spec",
                    map(
                        "target",
                        map("apiGroup", "kubevirt.io", "kind", "VirtualMachine", "name", vm),
                        "virtualMachineSnapshotName",
                        vm + "-" + snapshot,
                        "targetReadinessPolicy",
                        "StopTarget")))
            .build();
    lab.createIfAbsent(KubeVirtResources.RESTORE, r);
    await(
        KubeVirtResources.RESTORE,
        name,
        o ->
            Boolean.TRUE.equals(
                Maps.at(VirtualMachineStatusToStage.status(o), "complete").orElse(false)),
        "restore " + workload);
    await(
        KubeVirtResources.VIRTUAL_MACHINE,
        vm,
        o ->
            Boolean.TRUE.equals(
                Maps.at(VirtualMachineStatusToStage.status(o), "ready").orElse(false)),
        "restart " + workload + " after the restore");
  }

  @Override
  public List<String> list(String workload) {
    vm(workload);
    return lab.call(
        "list snapshots of " + workload,
        () ->
            lab
                .client()
                .genericKubernetesResources(KubeVirtResources.SNAPSHOT)
                .inNamespace(lab.names().namespace())
                .withLabels(lab.names().workloadSelector(workload))
                .list()
                .getItems()
                .stream()
                .map(s -> s.getMetadata().getLabels().get("convergence.io/snapshot"))
                .filter(java.util.Objects::nonNull)
                .sorted()
                .toList());
  }

  private GenericKubernetesResource await(
      io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind,
      String name,
      java.util.function.Predicate<GenericKubernetesResource> done,
      String what) {
    try {
      List<GenericKubernetesResource> found =
          lab.client()
              .genericKubernetesResources(kind)
              .inNamespace(lab.names().namespace())
              .withField("metadata.name", name)
              .informOnCondition(l -> !l.isEmpty() && done.test(l.get(0)))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return found.get(0);
    } catch (TimeoutException e) {
      throw new BackendException(
          lab.backendId(),
          what,
          -1,
          "Timeout",
          "not done after " + timeout,
          "look at the " + kind.getKind() + " " + name + " in namespace " + lab.names().namespace(),
          e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KubernetesClientException k) {
        throw io.convergence.kubernetes.KubernetesConnection.error(lab.backendId(), what, k);
      }
      throw new BackendException(
          lab.backendId(), what, -1, null, String.valueOf(e.getCause()), "", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(lab.backendId(), what, -1, "Interrupted", "interrupted", "", e);
    }
  }
}
