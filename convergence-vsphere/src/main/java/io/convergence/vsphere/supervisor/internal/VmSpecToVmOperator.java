package io.convergence.vsphere.supervisor.internal;

import io.convergence.kubernetes.ContainerSpecToPod;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.GuestMountInjector;
import io.convergence.kubernetes.LabNames;
import io.convergence.spec.DiskSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.PortSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.VmSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Maps a VM workload to the vm-operator objects that run it: a Secret with its cloud-init user data
 * ({@code spec.bootstrap.cloudInit.rawCloudConfig}) or sysprep answer file ({@code
 * spec.bootstrap.sysprep.rawSysprep}), a PersistentVolumeClaim per extra disk ({@code
 * spec.volumes}), the VirtualMachine (class, image by object name in {@code spec.imageName} and
 * {@code spec.image}, storage class, {@code powerState: PoweredOn}, the lab's labels, a {@code
 * readinessProbe.tcpSocket} for a TCP-like probe) and, for exposed ports, a ClusterIP
 * VirtualMachineService named like the VM that selects it by lab id and workload (vm-operator makes
 * the Service and Endpoints of that name, so the workload's DNS name is its name). Pure.
 */
public final class VmSpecToVmOperator {

  /** The key of the cloud-init user data in its Secret. */
  public static final String USER_DATA_KEY = "user-data";

  /** The key of the sysprep answer file in its Secret. */
  public static final String UNATTEND_KEY = "unattend";

  private VmSpecToVmOperator() {}

  /**
   * What a VM runs on: the choices made at plan time.
   *
   * @param className the VirtualMachineClass
   * @param image the image
   * @param storageClass the StorageClass
   */
  public record Placement(String className, Catalog.Image image, String storageClass) {}

  /**
   * The objects of one VM, in creation order.
   *
   * @param secrets the bootstrap Secret, if any
   * @param claims the extra disks' claims
   * @param virtualMachine the VirtualMachine
   * @param service the VirtualMachineService, if ports are exposed
   */
  public record VmObjects(
      List<Secret> secrets,
      List<PersistentVolumeClaim> claims,
      GenericKubernetesResource virtualMachine,
      Optional<GenericKubernetesResource> service) {
    /**
     * Every object, in creation order.
     *
     * @return the objects
     */
    public List<HasMetadata> all() {
      List<HasMetadata> all = new ArrayList<>(secrets);
      all.addAll(claims);
      all.add(virtualMachine);
      service.ifPresent(all::add);
      return all;
    }
  }

  /**
   * The TCP port a VM's readiness probe checks, if it has a probe vm-operator can run.
   *
   * @param vm the VM
   * @return the port
   */
  public static Optional<Integer> tcpProbePort(VmSpec vm) {
    for (Probe p : vm.readiness().probes()) {
      if (p instanceof Probe.Tcp || p instanceof Probe.Ssh || p instanceof Probe.WinRm) {
        return Optional.of(p.port());
      }
    }
    return Optional.empty();
  }

  /**
   * Maps a VM.
   *
   * @param workload the workload
   * @param vm the VM, secrets literal
   * @param names the lab's names
   * @param api the vm-operator API in use
   * @param placement class, image and storage class
   * @param mounts how its shared volumes reach the guest
   * @return the objects
   */
  public static VmObjects toObjects(
      String workload,
      VmSpec vm,
      LabNames names,
      VmOperatorApi api,
      Placement placement,
      List<GuestMount> mounts) {
    Map<String, String> labels = names.labels(workload, vm.labels());
    String name = names.objectName(workload);
    List<Secret> secrets = new ArrayList<>();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("className", placement.className());
    spec.put("imageName", placement.image().objectName());
    spec.put(
        "image", map("kind", placement.image().kind(), "name", placement.image().objectName()));
    spec.put("storageClass", placement.storageClass());
    spec.put("powerState", "PoweredOn");

    String secretName = names.objectName(workload, "bootstrap");
    if (vm.guestOs() == GuestOs.WINDOWS) {
      Optional<String> unattend =
          vm.sysprep().map(s -> GuestMountInjector.sysprep(s.reveal(), mounts));
      if (unattend.isPresent()) {
        secrets.add(
            ContainerSpecToPod.secret(
                secretName, labels, names, Map.of(UNATTEND_KEY, unattend.get())));
        spec.put(
            "bootstrap",
            map("sysprep", map("rawSysprep", map("name", secretName, "key", UNATTEND_KEY))));
      }
    } else {
      @Nullable String userData =
          GuestMountInjector.cloudInit(vm.cloudInit().map(s -> s.reveal()).orElse(null), mounts);
      if (userData != null) {
        secrets.add(
            ContainerSpecToPod.secret(secretName, labels, names, Map.of(USER_DATA_KEY, userData)));
        spec.put(
            "bootstrap",
            map("cloudInit", map("rawCloudConfig", map("name", secretName, "key", USER_DATA_KEY))));
      }
    }

    List<PersistentVolumeClaim> claims = new ArrayList<>();
    List<Object> volumes = new ArrayList<>();
    for (DiskSpec d : vm.disks()) {
      String claim = names.objectName(workload, "disk-" + d.name());
      claims.add(
          new PersistentVolumeClaimBuilder()
              .withNewMetadata()
              .withName(claim)
              .withNamespace(names.namespace())
              .withLabels(labels)
              .endMetadata()
              .withNewSpec()
              .withAccessModes("ReadWriteOnce")
              .withStorageClassName(placement.storageClass())
              .withNewResources()
              .addToRequests("storage", new Quantity(d.size()))
              .endResources()
              .endSpec()
              .build());
      volumes.add(
          map("name", "disk-" + d.name(), "persistentVolumeClaim", map("claimName", claim)));
    }
    if (!volumes.isEmpty()) {
      spec.put("volumes", volumes);
    }
    tcpProbePort(vm)
        .ifPresent(
            port ->
                spec.put(
                    "readinessProbe",
                    map(
                        "tcpSocket",
                        map("port", port),
                        "periodSeconds",
                        (int) Math.max(1, vm.readiness().probeInterval().toSeconds()))));

    GenericKubernetesResource machine = new GenericKubernetesResource();
    machine.setApiVersion(api.apiVersion());
    machine.setKind("VirtualMachine");
    machine.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(names.namespace())
            .withLabels(labels)
            .build());
    machine.setAdditionalProperty("spec", spec);

    Optional<GenericKubernetesResource> service = Optional.empty();
    if (!vm.ports().isEmpty()) {
      List<Object> ports = new ArrayList<>();
      for (PortSpec p : vm.ports()) {
        ports.add(
            map(
                "name",
                p.optionalName()
                    .orElse(p.protocol().name().toLowerCase(Locale.ROOT) + "-" + p.number()),
                "protocol",
                p.protocol().name().toUpperCase(Locale.ROOT),
                "port",
                p.number(),
                "targetPort",
                p.number()));
      }
      GenericKubernetesResource s = new GenericKubernetesResource();
      s.setApiVersion(api.apiVersion());
      s.setKind("VirtualMachineService");
      s.setMetadata(
          new ObjectMetaBuilder()
              .withName(name)
              .withNamespace(names.namespace())
              .withLabels(labels)
              .build());
      s.setAdditionalProperty(
          "spec",
          map(
              "type",
              "ClusterIP",
              "selector",
              new LinkedHashMap<>(names.workloadSelector(workload)),
              "ports",
              ports));
      service = Optional.of(s);
    }
    return new VmObjects(secrets, claims, machine, service);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
