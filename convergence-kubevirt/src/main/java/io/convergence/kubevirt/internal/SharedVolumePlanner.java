package io.convergence.kubevirt.internal;

import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.SharedVolumeToClaim;
import io.convergence.kubernetes.SmbFileServer;
import io.convergence.kubevirt.KubeVirtOptions;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Mount;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.PortSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.VmSpec;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Decides how each shared volume reaches each workload on KubeVirt and adds the in-lab file servers
 * that need to exist. Pods mount the volume's ReadWriteMany claim directly. Linux guests get it
 * through virtiofs when the cluster enables PVC virtiofs (and the settings allow it), otherwise
 * over NFS from an in-lab NFS server. Windows guests get it over SMB from an in-lab Samba server,
 * mapped to the mount's drive letter at first logon.
 */
public final class SharedVolumePlanner {

  /** A file server the plan adds: its name, spec and why. */
  public record FileServer(String name, ContainerSpec spec, String reason) {}

  /** The outcome for one lab. */
  public record Realisation(
      Map<String, List<GuestMount>> mounts,
      List<FileServer> fileServers,
      Map<String, Set<String>> extraPrerequisites,
      List<String> notes,
      List<SpecProblem> problems) {}

  static final String SMB_USER = SmbFileServer.USER;

  private SharedVolumePlanner() {}

  /**
   * Plans a lab's shared volumes.
   *
   * @param spec the lab
   * @param names its names
   * @param settings the backend's settings
   * @param virtiofs whether the cluster enables PVC virtiofs
   * @param password the SMB password of a volume, stable for a lab (lab id, volume) → password
   * @return the realisation
   */
  public static Realisation plan(
      LabSpec spec,
      LabNames names,
      KubeVirtSettings settings,
      boolean virtiofs,
      BiFunction<String, String, String> password) {
    Map<String, List<GuestMount>> mounts = new LinkedHashMap<>();
    Map<String, FileServer> servers = new LinkedHashMap<>();
    Map<String, Set<String>> prerequisites = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<SpecProblem> problems = new ArrayList<>();
    Set<String> names0 = new LinkedHashSet<>(spec.workloadNames());
    for (var v : spec.sharedVolumes()) {
      List<String> how = new ArrayList<>();
      for (NamedWorkload w : spec.workloads()) {
        for (Mount m : w.spec().mounts()) {
          if (!m.volume().equals(v.name())) {
            continue;
          }
          String path =
              "workloads["
                  + w.name()
                  + "]."
                  + (w.spec() instanceof VmSpec ? "vm" : "container")
                  + ".mounts["
                  + m.volume()
                  + "]";
          if (w.spec() instanceof ContainerSpec) {
            how.add(w.name() + " mounts the claim at " + m.path());
            continue;
          }
          VmSpec vm = (VmSpec) w.spec();
          GuestMount g;
          if (vm.guestOs() == GuestOs.WINDOWS) {
            if (vm.sysprep().isEmpty()) {
              problems.add(
                  new SpecProblem(
                      path,
                      "mapping a shared volume into a Windows guest on KubeVirt adds a first-logon command to its sysprep"
                          + " answer file; give the VM a sysprep answer file (or drop the mount)"));
              continue;
            }
            String server =
                fileServer(
                    v.name(), "smb", names0, servers, settings, password, names, problems, path);
            g =
                new GuestMount(
                    v.name(),
                    m.path(),
                    m.readOnly(),
                    GuestMount.Kind.SMB,
                    host(server, names, settings),
                    v.name(),
                    SMB_USER,
                    password.apply(names.ownership().labId(), v.name()));
            how.add(
                w.name()
                    + " (Windows) maps \\\\"
                    + server
                    + "\\"
                    + v.name()
                    + " as "
                    + m.path()
                    + " over SMB from the in-lab Samba server "
                    + server
                    + ": Windows guests have no virtiofs");
            prerequisites.computeIfAbsent(w.name(), k -> new LinkedHashSet<>()).add(server);
          } else {
            if (vm.cloudInit()
                .map(c -> c.reveal().stripLeading().startsWith("Content-Type: multipart/"))
                .orElse(false)) {
              problems.add(
                  new SpecProblem(
                      path,
                      "the VM's user data is multipart MIME, which Convergence cannot extend with the mount; mount the"
                          + " volume in your own user data (virtiofs tag or NFS) or use #cloud-config"));
              continue;
            }
            boolean useVirtiofs =
                settings.sharedVolumeMode() == KubeVirtSettings.SharedVolumeMode.VIRTIOFS
                    || settings.sharedVolumeMode() == KubeVirtSettings.SharedVolumeMode.AUTO
                        && virtiofs;
            if (useVirtiofs && !virtiofs) {
              problems.add(
                  new SpecProblem(
                      path,
                      "convergence.kubevirt.shared-volumes=virtiofs, but the cluster does not enable the feature gate "
                          + KubeVirtCapabilities.VIRTIOFS_GATE
                          + "; enable it or use shared-volumes=auto"));
              continue;
            }
            if (useVirtiofs) {
              g =
                  new GuestMount(
                      v.name(),
                      m.path(),
                      m.readOnly(),
                      GuestMount.Kind.VIRTIOFS,
                      "vol-" + v.name(),
                      "",
                      "",
                      "");
              how.add(w.name() + " (Linux) mounts the claim at " + m.path() + " with virtiofs");
            } else {
              boolean nfs = settings.linuxFileProtocol() == KubeVirtSettings.FileProtocol.NFS;
              String server =
                  fileServer(
                      v.name(),
                      nfs ? "nfs" : "smb",
                      names0,
                      servers,
                      settings,
                      password,
                      names,
                      problems,
                      path);
              String why =
                  settings.sharedVolumeMode() == KubeVirtSettings.SharedVolumeMode.FILE_SERVER
                      ? " (shared-volumes=file-server)"
                      : ": the cluster does not enable " + KubeVirtCapabilities.VIRTIOFS_GATE;
              if (nfs) {
                g =
                    new GuestMount(
                        v.name(),
                        m.path(),
                        m.readOnly(),
                        GuestMount.Kind.NFS,
                        host(server, names, settings),
                        "/",
                        "",
                        "");
                how.add(
                    w.name()
                        + " (Linux) mounts "
                        + server
                        + ":/ at "
                        + m.path()
                        + " over NFS from the in-lab NFS server "
                        + server
                        + why);
              } else {
                g =
                    new GuestMount(
                        v.name(),
                        m.path(),
                        m.readOnly(),
                        GuestMount.Kind.SMB,
                        host(server, names, settings),
                        v.name(),
                        SMB_USER,
                        password.apply(names.ownership().labId(), v.name()));
                how.add(
                    w.name()
                        + " (Linux) mounts //"
                        + server
                        + "/"
                        + v.name()
                        + " at "
                        + m.path()
                        + " over SMB (cifs) from the in-lab Samba server "
                        + server
                        + why);
              }
              prerequisites.computeIfAbsent(w.name(), k -> new LinkedHashSet<>()).add(server);
            }
          }
          mounts.computeIfAbsent(w.name(), k -> new ArrayList<>()).add(g);
        }
      }
      notes.add(
          "shared volume "
              + v.name()
              + " ("
              + v.size()
              + ", ReadWriteMany claim "
              + SharedVolumeToClaim.claimName(v.name(), names)
              + "): "
              + (how.isEmpty() ? "not mounted" : String.join("; ", how)));
    }
    return new Realisation(mounts, List.copyOf(servers.values()), prerequisites, notes, problems);
  }

  private static String host(String server, LabNames names, KubeVirtSettings settings) {
    return names.serviceHost(server) + "." + settings.clusterDomain();
  }

  private static String fileServer(
      String volume,
      String protocol,
      Set<String> workloadNames,
      Map<String, FileServer> servers,
      KubeVirtSettings settings,
      BiFunction<String, String, String> password,
      LabNames names,
      List<SpecProblem> problems,
      String path) {
    String name = volume + "-" + protocol;
    if (workloadNames.contains(name)) {
      problems.add(
          new SpecProblem(
              path,
              "the in-lab file server for volume "
                  + volume
                  + " would be named "
                  + name
                  + ", which is a workload of the lab already; rename that workload"));
      return name;
    }
    servers.computeIfAbsent(
        name,
        n -> {
          if (protocol.equals("nfs")) {
            ContainerSpec spec =
                ContainerSpec.builder()
                    .image(settings.nfsServerImage())
                    .expose(PortSpec.tcp(2049, "nfs"))
                    .expose(PortSpec.tcp(20048, "mountd"))
                    .expose(PortSpec.tcp(111, "rpcbind"))
                    .mount(volume, "/exports")
                    .probe(Probe.tcp(2049))
                    .options(privileged())
                    .build();
            return new FileServer(
                n,
                spec,
                "NFS server exporting shared volume "
                    + volume
                    + " to Linux guests (a privileged pod: linux-file-protocol=nfs)");
          }
          ContainerSpec spec =
              SmbFileServer.spec(
                  volume,
                  settings.smbServerImage(),
                  password.apply(names.ownership().labId(), volume));
          return new FileServer(
              n, spec, "Samba server sharing shared volume " + volume + " with the VMs");
        });
    return name;
  }

  private static KubeVirtOptions privileged() {
    return KubeVirtOptions.builder()
        .modifyPod(
            pod -> {
              pod.getSpec()
                  .getContainers()
                  .forEach(
                      c ->
                          c.setSecurityContext(
                              new SecurityContextBuilder().withPrivileged(true).build()));
              return pod;
            })
        .build();
  }
}
