package io.convergence.kubernetes;

import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Mount;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.VmSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Shared volumes realised through the in-lab Samba server, for platforms whose VMs cannot mount a
 * volume's ReadWriteMany claim themselves (vm-operator attaches claims only as block disks; vCenter
 * VMs are not on the cluster at all). Pods mount the claim; VMs mount the volume over SMB from one
 * Samba server per volume ({@link SmbFileServer}): Linux guests with cifs from cloud-init, Windows
 * guests map a drive at first logon from sysprep. Pure.
 *
 * @param mounts per VM workload, its guest mounts
 * @param fileServers the file server workloads to add: name to spec
 * @param prerequisites per VM, the file servers it waits for
 * @param notes plan notes
 * @param problems spec problems
 */
public record SmbSharedVolumes(
    Map<String, List<GuestMount>> mounts,
    Map<String, ContainerSpec> fileServers,
    Map<String, Set<String>> prerequisites,
    List<String> notes,
    List<SpecProblem> problems) {

  /**
   * Plans a lab's shared volumes.
   *
   * @param spec the lab
   * @param names its names
   * @param serverImage the Samba server's image
   * @param host how guests reach a file server workload: its host name or address, or a placeholder
   *     the driver replaces when it creates the VM ({@link GuestMount#withServer})
   * @param password the share password of (lab id, volume)
   * @param why why VMs go through the file server on this platform, for the plan's notes
   * @param claimNote what the volume's claim needs on this platform, for the plan's notes
   * @return the plan
   */
  public static SmbSharedVolumes plan(
      LabSpec spec,
      LabNames names,
      String serverImage,
      Function<String, String> host,
      BiFunction<String, String, String> password,
      String why,
      String claimNote) {
    Map<String, List<GuestMount>> mounts = new LinkedHashMap<>();
    Map<String, ContainerSpec> servers = new LinkedHashMap<>();
    Map<String, Set<String>> prerequisites = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<SpecProblem> problems = new ArrayList<>();
    for (var v : spec.sharedVolumes()) {
      List<String> how = new ArrayList<>();
      for (NamedWorkload w : spec.workloads()) {
        for (Mount m : w.spec().mounts()) {
          if (!m.volume().equals(v.name())) {
            continue;
          }
          if (!(w.spec() instanceof VmSpec vm)) {
            how.add(w.name() + " mounts the claim at " + m.path());
            continue;
          }
          String path = "workloads[" + w.name() + "].vm.mounts[" + m.volume() + "]";
          boolean windows = vm.guestOs() == GuestOs.WINDOWS;
          if (windows && vm.sysprep().isEmpty()) {
            problems.add(
                new SpecProblem(
                    path,
                    "mapping a shared volume into a Windows guest adds a first-logon command to its"
                        + " sysprep answer file; give the VM a sysprep answer file (or drop the"
                        + " mount)"));
            continue;
          }
          if (!windows
              && vm.cloudInit()
                  .map(c -> c.reveal().stripLeading().startsWith("Content-Type: multipart/"))
                  .orElse(false)) {
            problems.add(
                new SpecProblem(
                    path,
                    "the VM's user data is multipart MIME, which Convergence cannot extend with the"
                        + " mount; mount the SMB share in your own user data or use #cloud-config"));
            continue;
          }
          String server = SmbFileServer.workloadName(v.name());
          if (spec.workloadNames().contains(server)) {
            problems.add(
                new SpecProblem(
                    path,
                    "the in-lab file server for volume "
                        + v.name()
                        + " would be named "
                        + server
                        + ", which is a workload of the lab already; rename that workload"));
            continue;
          }
          String secret = password.apply(names.ownership().labId(), v.name());
          servers.computeIfAbsent(server, s -> SmbFileServer.spec(v.name(), serverImage, secret));
          mounts
              .computeIfAbsent(w.name(), k -> new ArrayList<>())
              .add(
                  new GuestMount(
                      v.name(),
                      m.path(),
                      m.readOnly(),
                      GuestMount.Kind.SMB,
                      host.apply(server),
                      v.name(),
                      SmbFileServer.USER,
                      secret));
          prerequisites.computeIfAbsent(w.name(), k -> new LinkedHashSet<>()).add(server);
          how.add(
              w.name()
                  + (windows ? " (Windows) maps \\\\" : " (Linux) mounts //")
                  + server
                  + (windows ? "\\" : "/")
                  + v.name()
                  + (windows ? " as " : " at ")
                  + m.path()
                  + " over SMB from the in-lab Samba server "
                  + server
                  + ": "
                  + why);
        }
      }
      notes.add(
          "shared volume "
              + v.name()
              + " ("
              + v.size()
              + ", ReadWriteMany claim "
              + SharedVolumeToClaim.claimName(v.name(), names)
              + ", "
              + claimNote
              + "): "
              + (how.isEmpty() ? "not mounted" : String.join("; ", how)));
    }
    return new SmbSharedVolumes(mounts, servers, prerequisites, notes, problems);
  }
}
