package io.convergence.testkit.prism;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The state of the fake: seeded clusters, subnets and images; categories, VMs, recovery points and
 * tasks created through the API. Every access holds the store's monitor ({@code synchronized
 * (store)}); the methods here assume the caller does.
 */
final class PrismStore {

  /** The prefix of task extIds, as in the contract's example: {@code ZXJnb24=:<uuid>}. */
  static final String TASK_PREFIX = "ZXJnb24=:";

  final Clock clock;
  final Map<String, PrismCluster> clusters = new LinkedHashMap<>();
  final Map<String, PrismSubnet> subnets = new LinkedHashMap<>();
  final Map<String, PrismImage> images = new LinkedHashMap<>();
  final Map<String, PrismCategory> categories = new LinkedHashMap<>();
  final Map<String, VmEntity> vms = new LinkedHashMap<>();
  final Map<String, RecoveryPointEntity> recoveryPoints = new LinkedHashMap<>();
  final Map<String, TaskEntity> tasks = new LinkedHashMap<>();
  private long versions;
  private final String guestNetwork;
  private int addresses = 10;
  private int macs = 1;

  PrismStore(Clock clock, String guestNetwork) {
    this.clock = clock;
    this.guestNetwork = guestNetwork;
  }

  Instant now() {
    return clock.instant();
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  String newTaskId() {
    return TASK_PREFIX + newId();
  }

  /** A new ETag for an entity, different from every earlier one. */
  String nextEtag(String extId) {
    return Etags.of(extId, Long.toString(++versions));
  }

  /** The ETag of a seeded or synchronously created entity (they never change). */
  static String fixedEtag(String extId) {
    return Etags.of(extId, "0");
  }

  /** Records a change of a VM: new ETag and update time. */
  void touch(VmEntity vm) {
    vm.etag = nextEtag(vm.extId);
    vm.updateTime = now();
  }

  /** The next address of the guests' /16 (default 10.42.0.0/16), skipping .0 and .255. */
  String nextAddress() {
    while (true) {
      int n = addresses++;
      int hi = (n >> 8) & 0xff;
      int lo = n & 0xff;
      if (lo != 0 && lo != 255) {
        return guestNetwork + hi + "." + lo;
      }
    }
  }

  String nextMac() {
    int n = macs++;
    return String.format("50:6b:8d:%02x:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  }

  /** A VM the API shows: created, possibly being deleted. */
  Optional<VmEntity> visibleVm(String extId) {
    VmEntity vm = vms.get(extId);
    return vm != null && vm.created ? Optional.of(vm) : Optional.empty();
  }

  Optional<RecoveryPointEntity> visibleRecoveryPoint(String extId) {
    RecoveryPointEntity rp = recoveryPoints.get(extId);
    return rp != null && rp.created ? Optional.of(rp) : Optional.empty();
  }

  /** Whether any VM (pending, created or being deleted) carries the category. */
  boolean categoryInUse(String categoryExtId) {
    for (VmEntity vm : vms.values()) {
      if (vm.categories.contains(categoryExtId)) {
        return true;
      }
    }
    return false;
  }

  List<VmEntity> visibleVms() {
    List<VmEntity> out = new ArrayList<>();
    for (VmEntity vm : vms.values()) {
      if (vm.created) {
        out.add(vm);
      }
    }
    return out;
  }
}
