package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A recovery point in the store. Guarded by the store's lock. */
final class RecoveryPointEntity {

  static final String OBJECT_TYPE = "dataprotection.v4.config.RecoveryPoint";

  /** The recovery point of one VM; its configuration is captured when the task completes. */
  static final class VmPoint {
    final String extId;
    final String vmExtId;
    VmEntity.@Nullable Config config;

    VmPoint(String extId, String vmExtId) {
      this.extId = extId;
      this.vmExtId = vmExtId;
    }
  }

  final String extId;
  final String name;
  final String recoveryPointType;
  final Instant creationTime;
  final List<VmPoint> vmPoints;
  String etag = "";
  boolean created;
  boolean deleting;
  @Nullable String activeTask;

  RecoveryPointEntity(
      String extId,
      String name,
      String recoveryPointType,
      Instant creationTime,
      List<VmPoint> vmPoints) {
    this.extId = extId;
    this.name = name;
    this.recoveryPointType = recoveryPointType;
    this.creationTime = creationTime;
    this.vmPoints = List.copyOf(vmPoints);
  }

  ObjectNode toJson() {
    ObjectNode n = PrismJson.typed(OBJECT_TYPE, etag);
    n.put("extId", extId);
    n.put("name", name);
    n.put("status", "COMPLETE");
    n.put("recoveryPointType", recoveryPointType);
    n.put("creationTime", PrismJson.time(creationTime));
    ArrayNode vms = n.putArray("vmRecoveryPoints");
    for (VmPoint p : vmPoints) {
      vms.addObject()
          .put("$objectType", "dataprotection.v4.config.VmRecoveryPoint")
          .put("extId", p.extId)
          .put("vmExtId", p.vmExtId);
    }
    return n;
  }

  PrismRecoveryPoint snapshot() {
    return new PrismRecoveryPoint(
        extId, name, vmPoints.stream().map(p -> p.vmExtId).toList(), created, deleting, toJson());
  }
}
