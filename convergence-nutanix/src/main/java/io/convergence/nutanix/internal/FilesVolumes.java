package io.convergence.nutanix.internal;

import io.convergence.kubernetes.ContainerSpecToPod;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.SmbSharedVolumes;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Mount;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.VmSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NFSVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Shared volumes on a pre-provisioned Nutanix Files share: volume {@code v} of lab {@code L} is the
 * directory {@code L/v} of the share. Pods mount the share's NFS export with that directory as
 * {@code subPath} (the kubelet makes it); Linux VMs mount the export over NFS from cloud-init and
 * bind the directory in place; Windows VMs connect to the share over SMB at first logon, make the
 * directory and map it. No claim, no file server, no load balancer; the data stays on the share
 * when the lab goes. Pure.
 */
final class FilesVolumes {

  private FilesVolumes() {}

  /** The directory of a lab's volume on the share: {@code <lab id>/<volume>}. */
  static String directory(LabNames names, String volume) {
    return names.ownership().labId() + "/" + volume;
  }

  /** The VMs' mounts, notes and problems of a lab's shared volumes on the share. */
  static SmbSharedVolumes plan(LabSpec spec, LabNames names, NutanixSettings.Files files) {
    Map<String, List<GuestMount>> mounts = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<SpecProblem> problems = new ArrayList<>();
    for (SharedVolume v : spec.sharedVolumes()) {
      String dir = directory(names, v.name());
      List<String> how = new ArrayList<>();
      for (NamedWorkload w : spec.workloads()) {
        for (Mount m : w.spec().mounts()) {
          if (!m.volume().equals(v.name())) {
            continue;
          }
          if (!(w.spec() instanceof VmSpec vm)) {
            how.add(w.name() + " mounts the NFS export with subPath " + dir + " at " + m.path());
            continue;
          }
          if (vm.guestOs() == GuestOs.WINDOWS) {
            if (files.smbUser().isEmpty() || files.smbPassword() == null) {
              problems.add(
                  new SpecProblem(
                      "workloads[" + w.name() + "].vm.mounts[" + v.name() + "]",
                      "a Windows guest maps the Files share over SMB with an account: set"
                          + " convergence.nutanix.files.smb-user and files.smb-password"));
              continue;
            }
            mounts
                .computeIfAbsent(w.name(), k -> new ArrayList<>())
                .add(
                    new GuestMount(
                        v.name(),
                        m.path(),
                        m.readOnly(),
                        GuestMount.Kind.SMB,
                        files.server(),
                        files.share(),
                        files.smbUser().get(),
                        files.smbPassword().reveal(),
                        dir));
            how.add(
                w.name()
                    + " maps \\\\"
                    + files.server()
                    + "\\"
                    + files.share()
                    + "\\"
                    + dir.replace('/', '\\')
                    + " at "
                    + m.path()
                    + " (SMB, at first logon)");
          } else {
            mounts
                .computeIfAbsent(w.name(), k -> new ArrayList<>())
                .add(
                    new GuestMount(
                        v.name(),
                        m.path(),
                        m.readOnly(),
                        GuestMount.Kind.NFS,
                        files.server(),
                        files.exportPath(),
                        "",
                        "",
                        dir));
            how.add(
                w.name()
                    + " mounts "
                    + files.server()
                    + ":"
                    + files.exportPath()
                    + "/"
                    + dir
                    + " at "
                    + m.path()
                    + " (NFS, from cloud-init)");
          }
        }
      }
      notes.add(
          "shared volume "
              + v.name()
              + " is directory "
              + dir
              + " of Nutanix Files share "
              + files.share()
              + " on "
              + files.server()
              + (how.isEmpty() ? "" : ": " + String.join("; ", how))
              + "; its data stays on the share after the lab (the size "
              + v.size()
              + " is not enforced: set a quota on the share)");
    }
    return new SmbSharedVolumes(mounts, Map.of(), Map.of(), notes, problems);
  }

  /**
   * Pods mount the share's NFS export instead of a claim, each volume at its directory.
   *
   * @param spec the lab
   * @param names its names
   * @param files the share
   * @return the change to a container's pod
   */
  static UnaryOperator<Pod> podModifier(LabSpec spec, LabNames names, NutanixSettings.Files files) {
    Map<String, String> dirs = new LinkedHashMap<>();
    spec.sharedVolumes()
        .forEach(
            v -> dirs.put(ContainerSpecToPod.podVolumeName(v.name()), directory(names, v.name())));
    return pod -> {
      if (pod.getSpec() == null) {
        return pod;
      }
      Set<String> nfs = new java.util.HashSet<>();
      for (Volume vol : pod.getSpec().getVolumes()) {
        if (dirs.containsKey(vol.getName()) && vol.getPersistentVolumeClaim() != null) {
          boolean readOnly = Boolean.TRUE.equals(vol.getPersistentVolumeClaim().getReadOnly());
          vol.setPersistentVolumeClaim(null);
          vol.setNfs(
              new NFSVolumeSourceBuilder()
                  .withServer(files.server())
                  .withPath(files.exportPath())
                  .withReadOnly(readOnly ? Boolean.TRUE : null)
                  .build());
          nfs.add(vol.getName());
        }
      }
      List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
      if (pod.getSpec().getInitContainers() != null) {
        containers.addAll(pod.getSpec().getInitContainers());
      }
      for (Container c : containers) {
        if (c.getVolumeMounts() == null) {
          continue;
        }
        for (VolumeMount m : c.getVolumeMounts()) {
          if (nfs.contains(m.getName())) {
            m.setSubPath(dirs.get(m.getName()));
          }
        }
      }
      return pod;
    };
  }
}
