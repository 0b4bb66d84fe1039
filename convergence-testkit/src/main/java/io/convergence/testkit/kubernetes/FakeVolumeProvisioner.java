package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import io.convergence.testkit.kubernetes.internal.Cache;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds PersistentVolumeClaims, as a dynamic provisioner and the PV controller would: one
 * {@linkplain Latencies latency} after a claim appears it gets {@code status.phase: Bound}, {@code
 * status.accessModes} (those requested, default {@code ReadWriteOnce}) and {@code
 * status.capacity.storage} (the requested size), written through the {@code /status} subresource. A
 * claim the {@link Faults} say never binds stays {@code Pending}.
 *
 * <p>What it does not simulate: PersistentVolume objects ({@code spec.volumeName} stays empty),
 * storage classes and their {@code WaitForFirstConsumer} binding mode, access-mode support of the
 * storage, capacity limits, resizing.
 *
 * @since 0.1.0
 */
public final class FakeVolumeProvisioner implements AutoCloseable {

  private final Provisioner controller;
  private final Faults faults;
  private final Latencies latencies;

  private FakeVolumeProvisioner(
      KubernetesClient client, Latencies latencies, Faults faults, Set<String> namespaces) {
    this.faults = faults;
    this.latencies = latencies;
    this.controller = new Provisioner(client, namespaces);
  }

  /**
   * Starts a provisioner watching every namespace.
   *
   * @param client the client it reads and writes with
   * @param latencies the latencies (shared with the other simulators)
   * @param faults the faults (shared with the other simulators)
   * @return the running provisioner
   */
  public static FakeVolumeProvisioner start(
      KubernetesClient client, Latencies latencies, Faults faults) {
    return start(client, latencies, faults, Set.of());
  }

  /**
   * Starts a provisioner.
   *
   * @param client the client it reads and writes with
   * @param latencies the latencies (shared with the other simulators)
   * @param faults the faults (shared with the other simulators)
   * @param namespaces the namespaces to watch; empty for all
   * @return the running provisioner
   */
  public static FakeVolumeProvisioner start(
      KubernetesClient client, Latencies latencies, Faults faults, Set<String> namespaces) {
    FakeVolumeProvisioner p =
        new FakeVolumeProvisioner(
            requireNonNull(client, "client"),
            requireNonNull(latencies, "latencies"),
            requireNonNull(faults, "faults"),
            new LinkedHashSet<>(namespaces));
    p.controller.start();
    return p;
  }

  /** Stops watching; claims keep their status. */
  @Override
  public void close() {
    controller.close();
  }

  private final class Provisioner extends Controller {
    private final Cache<PersistentVolumeClaim> claims = new Cache<>();
    private final Set<String> namespaces;

    Provisioner(KubernetesClient client, Set<String> namespaces) {
      super("volume-provisioner", client, 2);
      this.namespaces = Set.copyOf(namespaces);
    }

    @Override
    protected void startInformers() {
      if (namespaces.isEmpty()) {
        inform(
            client.persistentVolumeClaims().inAnyNamespace(), claims, c -> List.of(key("pvc", c)));
      } else {
        for (String ns : namespaces) {
          inform(
              client.persistentVolumeClaims().inNamespace(ns), claims, c -> List.of(key("pvc", c)));
        }
      }
    }

    @Override
    protected void reconcile(String key) {
      String[] k = split(key);
      PersistentVolumeClaim pvc = claims.get(k[1], k[2]);
      if (pvc == null) {
        forget(key);
        return;
      }
      if (pvc.getMetadata().getDeletionTimestamp() != null
          || (pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase()))) {
        return;
      }
      Map<String, String> labels = pvc.getMetadata().getLabels();
      String workload = labels == null ? null : labels.get(Faults.WORKLOAD_LABEL);
      if (faults.neverBinds(workload, pvc.getMetadata().getName())) {
        return;
      }
      String uid = pvc.getMetadata().getUid();
      if (!due(key, uid, "bind", latencies.of(workload))) {
        return;
      }
      PersistentVolumeClaim copy = client.getKubernetesSerialization().clone(pvc);
      PersistentVolumeClaimStatus st =
          copy.getStatus() == null ? new PersistentVolumeClaimStatus() : copy.getStatus();
      st.setPhase("Bound");
      List<String> modes = pvc.getSpec().getAccessModes();
      st.setAccessModes(modes == null || modes.isEmpty() ? List.of("ReadWriteOnce") : modes);
      Map<String, Quantity> capacity = new LinkedHashMap<>();
      Quantity size =
          pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null
              ? null
              : pvc.getSpec().getResources().getRequests().get("storage");
      capacity.put("storage", size == null ? new Quantity("1Gi") : size);
      st.setCapacity(capacity);
      copy.setStatus(st);
      client.persistentVolumeClaims().inNamespace(k[1]).resource(copy).updateStatus();
      done(key, uid, "bind");
    }
  }

  @Override
  public String toString() {
    return "FakeVolumeProvisioner{" + latencies.step() + "}";
  }
}
