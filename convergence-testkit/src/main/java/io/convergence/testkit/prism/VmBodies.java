package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates VM request bodies ({@code vmm.v4.ahv.config.Vm}): schema violations give a
 * 400 {@code SchemaValidationError}; references are checked later, against the store (422).
 */
final class VmBodies {

  static final String VM_DISK = "vmm.v4.ahv.config.VmDisk";
  static final String IMAGE_REFERENCE = "vmm.v4.ahv.config.ImageReference";
  static final String CLOUD_INIT = "vmm.v4.ahv.config.CloudInit";
  static final String SYSPREP = "vmm.v4.ahv.config.Sysprep";
  static final String USERDATA = "vmm.v4.ahv.config.Userdata";
  static final String UNATTEND_XML = "vmm.v4.ahv.config.Unattendxml";
  static final String CUSTOM_KEY_VALUES = "vmm.v4.ahv.config.CustomKeyValues";

  static final int NAME_MAX = 256;
  static final Set<String> BUS_TYPES = Set.of("SCSI", "IDE", "PCI", "SATA", "SPAPR");
  static final Set<String> NIC_TYPES =
      Set.of("NORMAL_NIC", "DIRECT_NIC", "NETWORK_FUNCTION_NIC", "SPAN_DESTINATION_NIC");
  static final Set<String> VLAN_MODES = Set.of("ACCESS", "TRUNK");
  static final Set<String> POWER_STATES = Set.of("ON", "OFF", "PAUSED", "UNDETERMINED");

  private VmBodies() {}

  /**
   * A disk of a create body.
   *
   * @param busType the bus, null to assign {@code SCSI}
   * @param index the index on the bus, null to assign the next one
   * @param sizeBytes the size, null to take the image's
   * @param imageExtId the image cloned, null for a blank disk
   */
  record DiskSpec(
      @Nullable String busType,
      @Nullable Long index,
      @Nullable Long sizeBytes,
      @Nullable String imageExtId) {}

  /**
   * A NIC of a create body.
   *
   * @param subnetExtId its subnet
   * @param nicType e.g. {@code NORMAL_NIC}
   * @param vlanMode e.g. {@code ACCESS}
   */
  record NicSpec(String subnetExtId, String nicType, String vlanMode) {}

  /** A valid create body. */
  record VmSpec(
      String name,
      @Nullable String description,
      long numSockets,
      long numCoresPerSocket,
      long numThreadsPerCore,
      long memorySizeBytes,
      String clusterExtId,
      List<String> categories,
      List<DiskSpec> disks,
      List<NicSpec> nics,
      @Nullable JsonNode guestCustomization) {}

  /** A valid update body; null fields are left as they are. */
  record VmUpdate(
      @Nullable String name,
      @Nullable String description,
      @Nullable Long numSockets,
      @Nullable Long numCoresPerSocket,
      @Nullable Long numThreadsPerCore,
      @Nullable Long memorySizeBytes,
      @Nullable List<String> categories) {}

  /** Validates a create body, or throws a 400. */
  static VmSpec parseCreate(JsonNode body) {
    BodyChecker c = new BodyChecker();
    String name = c.string(body, "", "name", true, NAME_MAX);
    String description = c.string(body, "", "description", false, 1000);
    long sockets = c.integer(body, "", "numSockets", false, 1, 1);
    long cores = c.integer(body, "", "numCoresPerSocket", false, 1, 1);
    long threads = c.integer(body, "", "numThreadsPerCore", false, 1, 1);
    long memory = c.integer(body, "", "memorySizeBytes", true, 1, 0);
    String cluster = null;
    JsonNode clusterNode = c.object(body, "", "cluster", true);
    if (clusterNode != null) {
      cluster = c.uuid(clusterNode, "cluster", "extId");
    }
    List<String> categories = categories(c, body);
    List<DiskSpec> disks = new ArrayList<>();
    JsonNode diskArray = c.array(body, "", "disks");
    if (diskArray != null) {
      for (int i = 0; i < diskArray.size(); i++) {
        DiskSpec d = disk(c, diskArray.get(i), "disks[" + i + "]");
        if (d != null) {
          disks.add(d);
        }
      }
    }
    List<NicSpec> nics = new ArrayList<>();
    JsonNode nicArray = c.array(body, "", "nics");
    if (nicArray != null) {
      for (int i = 0; i < nicArray.size(); i++) {
        NicSpec n = nic(c, nicArray.get(i), "nics[" + i + "]");
        if (n != null) {
          nics.add(n);
        }
      }
    }
    JsonNode gc = c.object(body, "", "guestCustomization", false);
    if (gc != null) {
      guestCustomization(c, gc);
    }
    c.enumeration(body, "", "powerState", POWER_STATES, "OFF");
    c.throwIfInvalid(Namespace.VMM);
    return new VmSpec(
        name,
        description,
        sockets,
        cores,
        threads,
        memory,
        cluster,
        categories,
        disks,
        nics,
        gc == null ? null : gc.deepCopy());
  }

  /** Validates an update body, or throws a 400. Disks, NICs and guest customization are kept. */
  static VmUpdate parseUpdate(JsonNode body, String extId) {
    BodyChecker c = new BodyChecker();
    JsonNode id = body.get("extId");
    if (id != null && !id.isNull() && !(id.isTextual() && id.asText().equals(extId))) {
      c.add("extId", "must be the extId of the path, '" + extId + "'");
    }
    String name = body.has("name") ? c.string(body, "", "name", true, NAME_MAX) : null;
    String description = c.string(body, "", "description", false, 1000);
    Long sockets = optionalInteger(c, body, "numSockets");
    Long cores = optionalInteger(c, body, "numCoresPerSocket");
    Long threads = optionalInteger(c, body, "numThreadsPerCore");
    Long memory = optionalInteger(c, body, "memorySizeBytes");
    List<String> categories = body.has("categories") ? categories(c, body) : null;
    c.enumeration(body, "", "powerState", POWER_STATES, "OFF");
    c.throwIfInvalid(Namespace.VMM);
    return new VmUpdate(name, description, sockets, cores, threads, memory, categories);
  }

  private static @Nullable Long optionalInteger(BodyChecker c, JsonNode body, String field) {
    if (!body.has(field) || body.get(field).isNull()) {
      return null;
    }
    long v = c.integer(body, "", field, true, 1, -1);
    return v < 1 ? null : v;
  }

  private static List<String> categories(BodyChecker c, JsonNode body) {
    List<String> out = new ArrayList<>();
    JsonNode cats = c.array(body, "", "categories");
    if (cats != null) {
      for (int i = 0; i < cats.size(); i++) {
        String p = "categories[" + i + "]";
        JsonNode cat = cats.get(i);
        if (!cat.isObject()) {
          c.add(p, "must be an object");
          continue;
        }
        String id = c.uuid(cat, p, "extId");
        if (id != null && !out.contains(id)) {
          out.add(id);
        }
      }
    }
    return out;
  }

  private static @Nullable DiskSpec disk(BodyChecker c, JsonNode disk, String p) {
    if (!disk.isObject()) {
      c.add(p, "must be an object");
      return null;
    }
    String bus = null;
    Long index = null;
    JsonNode address = c.object(disk, p, "diskAddress", false);
    if (address != null) {
      String ap = p + ".diskAddress";
      bus = c.enumeration(address, ap, "busType", BUS_TYPES, "SCSI");
      if (address.has("index")) {
        index = c.integer(address, ap, "index", true, 0, 0);
      }
    }
    JsonNode backing = c.object(disk, p, "backingInfo", true);
    if (backing == null) {
      return null;
    }
    String bp = p + ".backingInfo";
    if (c.objectType(backing, bp, Set.of(VM_DISK)) == null) {
      return null;
    }
    Long size = null;
    if (backing.has("diskSizeBytes") && !backing.get("diskSizeBytes").isNull()) {
      size = c.integer(backing, bp, "diskSizeBytes", true, 1, 1);
    }
    String image = null;
    JsonNode source = c.object(backing, bp, "dataSource", false);
    if (source != null) {
      String sp = bp + ".dataSource";
      JsonNode ref = c.object(source, sp, "reference", true);
      if (ref != null) {
        String rp = sp + ".reference";
        if (c.objectType(ref, rp, Set.of(IMAGE_REFERENCE)) != null) {
          image = c.uuid(ref, rp, "imageExtId");
        }
      }
    } else if (size == null) {
      c.add(bp + ".diskSizeBytes", "must not be null for a disk without a dataSource");
    }
    return new DiskSpec(bus, index, size, image);
  }

  private static @Nullable NicSpec nic(BodyChecker c, JsonNode nic, String p) {
    if (!nic.isObject()) {
      c.add(p, "must be an object");
      return null;
    }
    JsonNode info = c.object(nic, p, "networkInfo", true);
    if (info == null) {
      return null;
    }
    String ip = p + ".networkInfo";
    String type = c.enumeration(info, ip, "nicType", NIC_TYPES, "NORMAL_NIC");
    String mode = c.enumeration(info, ip, "vlanMode", VLAN_MODES, "ACCESS");
    JsonNode subnet = c.object(info, ip, "subnet", true);
    if (subnet == null) {
      return null;
    }
    String id = c.uuid(subnet, ip + ".subnet", "extId");
    return id == null ? null : new NicSpec(id, type, mode);
  }

  private static void guestCustomization(BodyChecker c, JsonNode gc) {
    JsonNode config = c.object(gc, "guestCustomization", "config", true);
    if (config == null) {
      return;
    }
    String cp = "guestCustomization.config";
    String type = c.objectType(config, cp, Set.of(CLOUD_INIT, SYSPREP));
    if (type == null) {
      return;
    }
    boolean cloudInit = type.equals(CLOUD_INIT);
    String field = cloudInit ? "cloudInitScript" : "sysprepScript";
    JsonNode script = c.object(config, cp, field, true);
    if (script == null) {
      return;
    }
    String sp = cp + "." + field;
    String scriptType =
        c.objectType(script, sp, Set.of(cloudInit ? USERDATA : UNATTEND_XML, CUSTOM_KEY_VALUES));
    if (scriptType == null || scriptType.equals(CUSTOM_KEY_VALUES)) {
      return;
    }
    String value = c.string(script, sp, "value", true, cloudInit ? 128_000 * 4 / 3 + 4 : 64_000);
    if (value != null) {
      try {
        Base64.getDecoder().decode(value);
      } catch (IllegalArgumentException e) {
        c.add(sp + ".value", "must be base64 encoded");
      }
    }
  }
}
