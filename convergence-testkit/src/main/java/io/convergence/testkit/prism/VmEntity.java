package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A VM in the store. Guarded by the store's lock. */
final class VmEntity {

  static final String OBJECT_TYPE = "vmm.v4.ahv.config.Vm";

  /** A NIC; its address is reserved at creation and learned once the guest booted. */
  static final class Nic {
    final String extId;
    final String macAddress;
    final String subnetExtId;
    final String nicType;
    final String vlanMode;
    final String address;
    boolean learned;

    Nic(
        String extId,
        String macAddress,
        String subnetExtId,
        String nicType,
        String vlanMode,
        String address) {
      this.extId = extId;
      this.macAddress = macAddress;
      this.subnetExtId = subnetExtId;
      this.nicType = nicType;
      this.vlanMode = vlanMode;
      this.address = address;
    }
  }

  /** The configuration a recovery point captures and a revert restores. */
  record Config(
      String name,
      @Nullable String description,
      long numSockets,
      long numCoresPerSocket,
      long numThreadsPerCore,
      long memorySizeBytes,
      List<String> categories,
      List<ObjectNode> disks) {

    Config {
      categories = List.copyOf(categories);
      List<ObjectNode> copies = new ArrayList<>();
      disks.forEach(d -> copies.add(d.deepCopy()));
      disks = List.copyOf(copies);
    }
  }

  final String extId;
  String name;
  @Nullable String description;
  long numSockets;
  long numCoresPerSocket;
  long numThreadsPerCore;
  long memorySizeBytes;
  final String clusterExtId;
  List<String> categories;
  List<ObjectNode> disks;
  final List<Nic> nics;
  final @Nullable JsonNode guestCustomization;
  String powerState = "OFF";
  boolean guestReachable;
  Instant createTime;
  Instant updateTime;
  String etag = "";
  boolean created;
  boolean deleting;
  @Nullable String activeTask;
  int bootGeneration;

  VmEntity(
      String extId, VmBodies.VmSpec spec, List<ObjectNode> disks, List<Nic> nics, Instant now) {
    this.extId = extId;
    this.name = spec.name();
    this.description = spec.description();
    this.numSockets = spec.numSockets();
    this.numCoresPerSocket = spec.numCoresPerSocket();
    this.numThreadsPerCore = spec.numThreadsPerCore();
    this.memorySizeBytes = spec.memorySizeBytes();
    this.clusterExtId = spec.clusterExtId();
    this.categories = new ArrayList<>(spec.categories());
    this.disks = new ArrayList<>(disks);
    this.nics = List.copyOf(nics);
    this.guestCustomization = spec.guestCustomization();
    this.createTime = now;
    this.updateTime = now;
  }

  Config config() {
    return new Config(
        name,
        description,
        numSockets,
        numCoresPerSocket,
        numThreadsPerCore,
        memorySizeBytes,
        categories,
        disks);
  }

  void restore(Config c) {
    name = c.name();
    description = c.description();
    numSockets = c.numSockets();
    numCoresPerSocket = c.numCoresPerSocket();
    numThreadsPerCore = c.numThreadsPerCore();
    memorySizeBytes = c.memorySizeBytes();
    categories = new ArrayList<>(c.categories());
    List<ObjectNode> copies = new ArrayList<>();
    c.disks().forEach(d -> copies.add(d.deepCopy()));
    disks = copies;
  }

  /** Powers the guest down: no reachable tools, no learned addresses. */
  void shutDownGuest() {
    powerState = "OFF";
    guestReachable = false;
    bootGeneration++;
    nics.forEach(n -> n.learned = false);
  }

  List<String> learnedAddresses() {
    List<String> out = new ArrayList<>();
    for (Nic n : nics) {
      if (n.learned) {
        out.add(n.address);
      }
    }
    return out;
  }

  /** The VM as {@code GET /vms/{extId}} renders it. */
  ObjectNode toJson() {
    ObjectNode n = PrismJson.typed(OBJECT_TYPE, etag);
    n.put("extId", extId);
    n.put("name", name);
    if (description != null) {
      n.put("description", description);
    }
    n.put("createTime", PrismJson.time(createTime));
    n.put("updateTime", PrismJson.time(updateTime));
    n.put("powerState", powerState);
    n.put("numSockets", numSockets);
    n.put("numCoresPerSocket", numCoresPerSocket);
    n.put("numThreadsPerCore", numThreadsPerCore);
    n.put("memorySizeBytes", memorySizeBytes);
    n.putObject("cluster").put("extId", clusterExtId);
    ArrayNode cats = n.putArray("categories");
    categories.forEach(c -> cats.addObject().put("extId", c));
    ArrayNode d = n.putArray("disks");
    disks.forEach(x -> d.add(x.deepCopy()));
    ArrayNode ns = n.putArray("nics");
    for (Nic nic : nics) {
      ObjectNode o = ns.addObject();
      o.put("extId", nic.extId);
      o.putObject("backingInfo").put("macAddress", nic.macAddress).put("isConnected", true);
      ObjectNode info = o.putObject("networkInfo");
      info.put("nicType", nic.nicType);
      info.put("vlanMode", nic.vlanMode);
      info.putObject("subnet").put("extId", nic.subnetExtId);
      ArrayNode learned = info.putObject("ipv4Info").putArray("learnedIpAddresses");
      if (nic.learned) {
        learned.addObject().put("value", nic.address).put("prefixLength", 32);
      }
    }
    n.putObject("guestTools").put("isEnabled", true).put("isReachable", guestReachable);
    return n;
  }

  PrismVm snapshot() {
    return new PrismVm(
        extId,
        name,
        powerState,
        memorySizeBytes,
        clusterExtId,
        categories,
        learnedAddresses(),
        guestReachable,
        etag,
        created,
        deleting,
        guestCustomization,
        toJson());
  }
}
