package io.convergence.kubevirt.internal;

import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubevirt.KubeVirtOptions;
import io.convergence.spec.GuestOs;
import io.convergence.spec.Probe;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** VMs of every shape the mapper produces, for tests that send them to a real API server. */
public final class KubeVirtWireFixtures {
  private KubeVirtWireFixtures() {}

  /** The objects of a Windows, a Linux (virtiofs) and a Linux (NFS, URL import, options) VM. */
  public static List<HasMetadata> vmObjects(LabNames names, ConvergenceConfig config) {
    KubeVirtSettings settings = KubeVirtSettings.from(config);
    List<HasMetadata> out = new ArrayList<>();
    VmSpec windows =
        VmSpec.builder()
            .image("win2019-tester")
            .guestOs(GuestOs.WINDOWS)
            .cpus(4)
            .memory("8Gi")
            .sysprep("<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"/>")
            .guestAgent(true)
            .expose(5985)
            .probe(Probe.winRm())
            .disk("scratch", "10Gi")
            .build();
    out.addAll(
        VmSpecToVirtualMachine.toObjects(
                "tester",
                windows,
                names,
                settings,
                List.of(
                    new GuestMount(
                        "results",
                        "R:",
                        false,
                        GuestMount.Kind.SMB,
                        "results-smb.x.svc.cluster.local",
                        "results",
                        "lab",
                        "pw")))
            .all());
    VmSpec linux =
        VmSpec.builder()
            .image(VmImage.registry("quay.io/containerdisks/fedora:41"))
            .cpus(2)
            .memory("4Gi")
            .cloudInit("#cloud-config\npackages: [git]\n")
            .expose(22)
            .probe(Probe.ssh())
            .build();
    out.addAll(
        VmSpecToVirtualMachine.toObjects(
                "prober",
                linux,
                names,
                settings,
                List.of(
                    new GuestMount(
                        "results",
                        "/mnt/results",
                        true,
                        GuestMount.Kind.VIRTIOFS,
                        "vol-results",
                        "",
                        "",
                        "")))
            .all());
    VmSpec imported =
        VmSpec.builder()
            .image(VmImage.url("https://images.example.com/disk.qcow2"))
            .options(
                KubeVirtOptions.builder()
                    .rootDiskSize("30Gi")
                    .nodeSelector(Map.of("disk", "ssd"))
                    .preference("fedora")
                    .build())
            .build();
    out.addAll(
        VmSpecToVirtualMachine.toObjects(
                "imported",
                imported,
                names,
                settings,
                List.of(
                    new GuestMount(
                        "results",
                        "/data",
                        false,
                        GuestMount.Kind.NFS,
                        "results-nfs.x.svc.cluster.local",
                        "/",
                        "",
                        "")))
            .all());
    return out;
  }
}
