package io.convergence.kubernetes;

import io.convergence.spec.SharedVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a shared volume to a ReadWriteMany PersistentVolumeClaim (pods on different nodes mount it
 * at once).
 *
 * @since 0.1.0
 */
public final class SharedVolumeToClaim {

  private SharedVolumeToClaim() {}

  /**
   * The claim's name: {@code shared-<volume>} in a lab's own namespace, with the lab's suffix in a
   * namespace labs share (so that two labs with a volume of the same name get a claim each).
   *
   * @param volume the shared volume's name
   * @param names the lab's names
   * @return the claim's name
   */
  public static String claimName(String volume, LabNames names) {
    return names.objectName("shared-" + volume);
  }

  /**
   * The claim of a shared volume.
   *
   * @param volume the volume
   * @param names the lab's names
   * @param storageClass the storage class, or empty for the cluster's default
   * @return the claim
   */
  public static PersistentVolumeClaim claim(
      SharedVolume volume, LabNames names, Optional<String> storageClass) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(claimName(volume.name(), names))
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .addToLabels("convergence.io/volume", volume.name())
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteMany")
        .withVolumeMode("Filesystem")
        .withStorageClassName(storageClass.orElse(null))
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(volume.size())))
        .endResources()
        .endSpec()
        .build();
  }
}
