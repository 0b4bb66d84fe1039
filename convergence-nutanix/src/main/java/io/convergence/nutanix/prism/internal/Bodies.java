package io.convergence.nutanix.prism.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convergence.nutanix.prism.VmCreateSpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The JSON bodies the client sends, field for field as the wire contract writes them. */
public final class Bodies {
  /** The {@code $objectType} of a disk's backing: {@value}. */
  public static final String VM_DISK = "vmm.v4.ahv.config.VmDisk";

  /** The {@code $objectType} of an image data source: {@value}. */
  public static final String IMAGE_REFERENCE = "vmm.v4.ahv.config.ImageReference";

  /** The {@code $objectType} of a cloud-init config: {@value}. */
  public static final String CLOUD_INIT = "vmm.v4.ahv.config.CloudInit";

  /** The {@code $objectType} of cloud-init user data: {@value}. */
  public static final String USERDATA = "vmm.v4.ahv.config.Userdata";

  /** The {@code $objectType} of a sysprep config: {@value}. */
  public static final String SYSPREP = "vmm.v4.ahv.config.Sysprep";

  /** The {@code $objectType} of a sysprep answer file: {@value}. */
  public static final String UNATTENDXML = "vmm.v4.ahv.config.Unattendxml";

  private Bodies() {}

  /**
   * The body of {@code POST /vms}. Reveals and base64-encodes the guest customization payload and
   * checks it against Prism's size limits before anything is sent.
   *
   * @param spec the VM
   * @return the body
   * @throws IllegalArgumentException when the payload is too large (the message gives sizes only)
   */
  public static ObjectNode createVm(VmCreateSpec spec) {
    ObjectNode vm = Json.MAPPER.createObjectNode();
    vm.put("name", spec.name());
    spec.description().ifPresent(d -> vm.put("description", d));
    vm.put("numSockets", spec.numSockets());
    vm.put("numCoresPerSocket", spec.numCoresPerSocket());
    vm.put("numThreadsPerCore", spec.numThreadsPerCore());
    vm.put("memorySizeBytes", spec.memorySizeBytes());
    vm.putObject("cluster").put("extId", spec.clusterExtId());
    if (!spec.categoryExtIds().isEmpty()) {
      ArrayNode categories = vm.putArray("categories");
      spec.categoryExtIds().forEach(c -> categories.addObject().put("extId", c));
    }
    int index = 0;
    ArrayNode disks = Json.MAPPER.createArrayNode();
    if (spec.bootDisk().isPresent()) {
      disks.add(disk(index++, spec.bootDisk().get()));
    }
    for (VmCreateSpec.Disk d : spec.blankDisks()) {
      disks.add(disk(index++, d));
    }
    if (!disks.isEmpty()) {
      vm.set("disks", disks);
    }
    if (!spec.subnetExtIds().isEmpty()) {
      ArrayNode nics = vm.putArray("nics");
      for (String subnet : spec.subnetExtIds()) {
        ObjectNode info = nics.addObject().putObject("networkInfo");
        info.put("nicType", "NORMAL_NIC");
        info.put("vlanMode", "ACCESS");
        info.putObject("subnet").put("extId", subnet);
      }
    }
    if (spec.guestCustomization().isPresent()) {
      VmCreateSpec.GuestCustomization kind = spec.guestCustomization().get();
      String payload = spec.guestCustomizationPayload().orElseThrow().reveal();
      String encoded = Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
      ObjectNode config = vm.putObject("guestCustomization").putObject("config");
      if (kind == VmCreateSpec.GuestCustomization.CLOUD_INIT) {
        limit("cloud-init user data", encoded.length(), VmCreateSpec.MAX_USER_DATA_BASE64);
        config.put("$objectType", CLOUD_INIT);
        ObjectNode script = config.putObject("cloudInitScript");
        script.put("$objectType", USERDATA);
        script.put("value", encoded);
      } else {
        limit("sysprep unattend.xml", encoded.length(), VmCreateSpec.MAX_UNATTEND_XML_BASE64);
        config.put("$objectType", SYSPREP);
        ObjectNode script = config.putObject("sysprepScript");
        script.put("$objectType", UNATTENDXML);
        script.put("value", encoded);
      }
    }
    vm.put("powerState", "OFF");
    return vm;
  }

  private static void limit(String what, int encodedLength, int max) {
    if (encodedLength > max) {
      throw new IllegalArgumentException(
          what
              + " is "
              + encodedLength
              + " characters base64-encoded; Prism Central accepts at most "
              + max
              + " (about "
              + (max / 4 * 3)
              + " bytes before encoding)");
    }
  }

  private static ObjectNode disk(int index, VmCreateSpec.Disk d) {
    ObjectNode disk = Json.MAPPER.createObjectNode();
    ObjectNode address = disk.putObject("diskAddress");
    address.put("busType", "SCSI");
    address.put("index", index);
    ObjectNode backing = disk.putObject("backingInfo");
    backing.put("$objectType", VM_DISK);
    backing.put("diskSizeBytes", d.sizeBytes());
    if (d.imageExtId() != null) {
      ObjectNode ref = backing.putObject("dataSource").putObject("reference");
      ref.put("$objectType", IMAGE_REFERENCE);
      ref.put("imageExtId", d.imageExtId());
    }
    return disk;
  }

  /**
   * The body of {@code POST /categories}.
   *
   * @param key the key
   * @param value the value
   * @param description the description, or {@code null}
   * @return the body
   */
  public static ObjectNode category(String key, String value, @Nullable String description) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("key", key);
    c.put("value", value);
    if (description != null) {
      c.put("description", description);
    }
    return c;
  }

  /**
   * The body of {@code POST /recovery-points}.
   *
   * @param name the recovery point's name
   * @param vmExtIds the VMs
   * @return the body
   */
  public static ObjectNode recoveryPoint(String name, List<String> vmExtIds) {
    ObjectNode rp = Json.MAPPER.createObjectNode();
    rp.put("name", name);
    rp.put("recoveryPointType", "CRASH_CONSISTENT");
    ArrayNode vms = rp.putArray("vmRecoveryPoints");
    vmExtIds.forEach(v -> vms.addObject().put("vmExtId", v));
    return rp;
  }

  /**
   * The body of {@code POST /vms/{extId}/$actions/revert}.
   *
   * @param vmRecoveryPointExtId the VM recovery point
   * @return the body
   */
  public static ObjectNode revert(String vmRecoveryPointExtId) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("vmRecoveryPointExtId", vmRecoveryPointExtId);
    return r;
  }

  /**
   * An empty object, the body of power actions.
   *
   * @return {@code {}}
   */
  public static ObjectNode empty() {
    return Json.MAPPER.createObjectNode();
  }

  /**
   * Serialises a body.
   *
   * @param node the body
   * @return UTF-8 JSON
   */
  public static byte[] bytes(ObjectNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
