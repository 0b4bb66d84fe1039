package io.convergence.nutanix.prism;

import io.convergence.nutanix.prism.ScriptedPrism.Response;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Canned Prism Central v4 answers, shaped as in docs/nutanix-prism-v4-wire.md. */
final class Wire {
  static final String RESERVED = "\"$reserved\":{\"$fv\":\"v4.r0\"}";
  static final String TASK_ID = "ZXJnb24=:447c5e9e-b7ad-408e-ae4f-82de667ef72e";
  static final String TASK_ID_2 = "ZXJnb24=:5a1b2c3d-0000-4000-8000-000000000002";
  static final String VM_ID = "8f6555d1-eebb-430a-86e1-b01c064ffd58";
  static final String ETAG_MISMATCH_MESSAGE =
      "Failed to perform the operation as the If-Match header value passed 'e1' doesn't match"
          + " the current value in the server 'e2'.";

  private Wire() {}

  /** {@code {"data": object, ...}} for a single entity. */
  static String entity(String objectType, String body) {
    return "{\"data\":"
        + body
        + ",\"metadata\":{\"flags\":[{\"name\":\"hasError\",\"value\":false},"
        + "{\"name\":\"isPaginated\",\"value\":false}]},\"$objectType\":\""
        + objectType
        + "\","
        + RESERVED
        + "}";
  }

  /** A list page; an empty list has no data key at all. */
  static String list(long total, String... items) {
    String meta =
        "\"metadata\":{\"flags\":[{\"name\":\"hasError\",\"value\":false},"
            + "{\"name\":\"isPaginated\",\"value\":true}],\"totalAvailableResults\":"
            + total
            + "}";
    if (items.length == 0) {
      return "{" + meta + "," + RESERVED + "}";
    }
    return "{\"data\":["
        + String.join(",", items)
        + "],"
        + meta
        + ",\"$objectType\":\"x.v4.ListApiResponse\","
        + RESERVED
        + "}";
  }

  static Response ok(String body) {
    return Response.json(200, body);
  }

  static Response taskRef(String taskExtId) {
    return Response.json(
        202,
        "{\"data\":{\"$objectType\":\"prism.v4.config.TaskReference\","
            + RESERVED
            + ",\"extId\":\""
            + taskExtId
            + "\"},\"$objectType\":\"vmm.v4.ahv.config.CreateVmApiResponse\","
            + RESERVED
            + ",\"metadata\":{\"flags\":[{\"name\":\"hasError\",\"value\":false}],"
            + "\"links\":[{\"href\":\"https://pc:9440/api/prism/v4.0/config/tasks/"
            + taskExtId
            + "\",\"rel\":\"self\"}]}}");
  }

  static String task(String extId, String status, String extra) {
    return "{\"$objectType\":\"prism.v4.config.Task\",\"extId\":\""
        + extId
        + "\",\"operation\":\"CreateVm\",\"operationDescription\":\"Create VM\",\"status\":\""
        + status
        + "\",\"progressPercentage\":40,\"createdTime\":\"2026-11-22T10:00:00.000Z\","
        + "\"completedTime\":null,\"legacyErrorMessage\":null,\"isCancelable\":false,"
        + "\"subTasks\":[]"
        + (extra.isEmpty() ? ",\"errorMessages\":[]" : "," + extra)
        + "}";
  }

  static Response taskAnswer(String extId, String status, String extra) {
    return ok(entity("prism.v4.config.GetTaskApiResponse", task(extId, status, extra)));
  }

  static String createdVm(String vmExtId) {
    return "\"entitiesAffected\":[{\"$objectType\":\"prism.v4.config.EntityReference\",\"extId\":\""
        + vmExtId
        + "\",\"rel\":\"vmm:ahv:config:vm\",\"name\":\"lab-vm\"}],"
        + "\"completionDetails\":[{\"name\":\"vmExtId\",\"value\":\""
        + vmExtId
        + "\"}],\"errorMessages\":[]";
  }

  static String appMessage(String ns, String code, String group, String message) {
    return "{\"$objectType\":\""
        + ns
        + ".v4.error.AppMessage\",\"message\":\""
        + message
        + "\",\"severity\":\"ERROR\",\"code\":\""
        + code
        + "\",\"errorGroup\":\""
        + group
        + "\",\"argumentsMap\":{\"vm_uuid\":\""
        + VM_ID
        + "\"}}";
  }

  static Response error(int status, String code, String group, String message) {
    return errors(status, "vmm", appMessage("vmm", code, group, message));
  }

  static Response errors(int status, String ns, String... appMessages) {
    return Response.json(
        status,
        "{\"data\":{\"error\":["
            + Arrays.stream(appMessages).collect(Collectors.joining(","))
            + "],\"$errorItemDiscriminator\":\"List<"
            + ns
            + ".v4.error.AppMessage>\",\"$objectType\":\""
            + ns
            + ".v4.error.ErrorResponse\"},\"$dataItemDiscriminator\":\""
            + ns
            + ".v4.error.ErrorResponse\",\"$objectType\":\"vmm.v4.ahv.config.GetVmApiResponse\"}");
  }

  static Response vmWithEtag(String etag) {
    return ok(entity(
            "vmm.v4.ahv.config.GetVmApiResponse",
            "{\"extId\":\""
                + VM_ID
                + "\",\"name\":\"lab-vm\",\"powerState\":\"OFF\",\"$reserved\":{\"ETag\":\""
                + etag
                + "\"}}"))
        .withHeader("ETag", etag);
  }
}
