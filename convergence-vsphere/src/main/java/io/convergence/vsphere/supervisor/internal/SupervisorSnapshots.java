package io.convergence.vsphere.supervisor.internal;

import io.convergence.BackendException;
import io.convergence.Snapshots;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.kubernetes.KubernetesLab;
import io.convergence.spec.VmSpec;
import io.convergence.spi.BackendPlan;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Snapshots of a lab's VMs as vm-operator VirtualMachineSnapshots ({@code spec.vmName}, {@code
 * v1alpha5} and newer), labelled like the lab; revert sets the VM's {@code
 * spec.currentSnapshotName}, which vm-operator clears once {@code status.currentSnapshot} names the
 * snapshot.
 */
final class SupervisorSnapshots implements Snapshots {

  static final String SNAPSHOT_LABEL = "convergence.io/snapshot";

  private final KubernetesLab lab;
  private final BackendPlan plan;
  private final VmOperatorApi api;
  private final Duration timeout;

  SupervisorSnapshots(KubernetesLab lab, BackendPlan plan, VmOperatorApi api, Duration timeout) {
    this.lab = lab;
    this.plan = plan;
    this.api = api;
    this.timeout = timeout;
  }

  private String vm(String workload) {
    var planned =
        plan.workload(workload)
            .orElseThrow(() -> new IllegalArgumentException("the lab has no workload " + workload));
    if (!(planned.spec() instanceof VmSpec)) {
      throw new IllegalArgumentException(workload + " is not a VM; only VMs have snapshots");
    }
    return lab.names().objectName(workload);
  }

  @Override
  public void snapshot(String workload, String snapshot) {
    String vm = vm(workload);
    String name = vm + "-" + snapshot;
    Map<String, String> labels = new LinkedHashMap<>(lab.names().labels(workload, Map.of()));
    labels.put(SNAPSHOT_LABEL, snapshot);
    GenericKubernetesResource s = new GenericKubernetesResource();
    s.setApiVersion(api.apiVersion());
    s.setKind("VirtualMachineSnapshot");
    s.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(lab.names().namespace())
            .withLabels(labels)
            .build());
    s.setAdditionalProperty("spec", VmSpecToVmOperator.map("vmName", vm));
    lab.createIfAbsent(api.virtualMachineSnapshots(), s);
    GenericKubernetesResource done =
        await(
            api.virtualMachineSnapshots(),
            name,
            o -> {
              Object st = VmOperatorStatusToStage.status(o);
              return VmOperatorStatusToStage.isTrue(st, "VirtualMachineSnapshotReady")
                  || failed(st);
            },
            "snapshot " + workload);
    Object st = VmOperatorStatusToStage.status(done);
    if (failed(st)) {
      Map<String, Object> c =
          VmOperatorStatusToStage.condition(st, "VirtualMachineSnapshotCreated").orElseThrow();
      throw new BackendException(
          lab.backendId(),
          "snapshot " + workload,
          -1,
          String.valueOf(c.get("reason")),
          String.valueOf(c.getOrDefault("message", "the snapshot failed")),
          "look at the VirtualMachineSnapshot " + name + " and the VM's vSphere tasks",
          null);
    }
  }

  private static boolean failed(Object status) {
    return VmOperatorStatusToStage.condition(status, "VirtualMachineSnapshotCreated")
        .map(
            c ->
                "False".equals(c.get("status"))
                    && String.valueOf(c.get("reason")).endsWith("Failed"))
        .orElse(false);
  }

  @Override
  public void revert(String workload, String snapshot) {
    String vm = vm(workload);
    if (!list(workload).contains(snapshot)) {
      throw new IllegalArgumentException(
          "VM " + workload + " has no snapshot '" + snapshot + "'; snapshots: " + list(workload));
    }
    String name = vm + "-" + snapshot;
    lab.call(
        "revert " + workload + " to " + snapshot,
        () ->
            lab.client()
                .genericKubernetesResources(api.virtualMachines())
                .inNamespace(lab.names().namespace())
                .withName(vm)
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"currentSnapshotName\":\"" + name + "\"}}"));
    await(
        api.virtualMachines(),
        vm,
        o -> {
          Object st = VmOperatorStatusToStage.status(o);
          Object spec = o.getAdditionalProperties().get("spec");
          return name.equals(Catalog.Maps.at(st, "currentSnapshot", "name"))
              && Catalog.Maps.at(spec, "currentSnapshotName") == null
              && "PoweredOn".equals(Catalog.Maps.at(st, "powerState"))
              && VmOperatorStatusToStage.ipAddress(st).isPresent();
        },
        "revert " + workload + " to " + snapshot);
  }

  @Override
  public List<String> list(String workload) {
    vm(workload);
    return lab.call(
        "list snapshots of " + workload,
        () ->
            lab
                .client()
                .genericKubernetesResources(api.virtualMachineSnapshots())
                .inNamespace(lab.names().namespace())
                .withLabels(lab.names().workloadSelector(workload))
                .list()
                .getItems()
                .stream()
                .sorted(
                    java.util.Comparator.comparing(
                        s -> String.valueOf(s.getMetadata().getCreationTimestamp())))
                .map(s -> s.getMetadata().getLabels().get(SNAPSHOT_LABEL))
                .filter(Objects::nonNull)
                .toList());
  }

  private GenericKubernetesResource await(
      ResourceDefinitionContext kind,
      String name,
      Predicate<GenericKubernetesResource> done,
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
        throw KubernetesConnection.error(lab.backendId(), what, k);
      }
      throw new BackendException(
          lab.backendId(), what, -1, null, String.valueOf(e.getCause()), "", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(lab.backendId(), what, -1, "Interrupted", "interrupted", "", e);
    }
  }
}
