package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convergence.testkit.prism.Envelopes.AppMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A task in the store. Guarded by the store's lock. */
final class TaskEntity {

  static final String OBJECT_TYPE = "prism.v4.config.Task";

  /**
   * An entity the task affects.
   *
   * @param extId its extId
   * @param rel e.g. {@code vmm:ahv:config:vm}
   * @param name its name
   */
  record Ref(String extId, String rel, String name) {}

  /** What the task does when it completes. */
  interface Completion {

    /**
     * Applies the change, or returns the error that fails the task without changing anything.
     *
     * @param task the task, whose {@code completionDetails} the change may fill
     * @return null on success
     */
    @Nullable AppMessage complete(TaskEntity task);

    /** Clears the bookkeeping of a failed task (the pending entity, the active task). */
    void failed();

    /** A completion from a function and a clean-up. */
    static Completion of(Function<TaskEntity, @Nullable AppMessage> complete, Runnable failed) {
      return new Completion() {
        @Override
        public @Nullable AppMessage complete(TaskEntity task) {
          return complete.apply(task);
        }

        @Override
        public void failed() {
          failed.run();
        }
      };
    }
  }

  final String extId;
  final String operation;
  final String description;
  final Instant createdTime;
  final List<Ref> entities;
  final Completion completion;
  final @Nullable AppMessage injectedFailure;
  final List<Map.Entry<String, String>> completionDetails = new ArrayList<>();
  final List<AppMessage> errors = new ArrayList<>();
  String status = "QUEUED";
  int progress;
  @Nullable Instant startedTime;
  @Nullable Instant completedTime;

  TaskEntity(
      String extId,
      String operation,
      String description,
      Instant createdTime,
      List<Ref> entities,
      Completion completion,
      @Nullable AppMessage injectedFailure) {
    this.extId = extId;
    this.operation = operation;
    this.description = description;
    this.createdTime = createdTime;
    this.entities = List.copyOf(entities);
    this.completion = completion;
    this.injectedFailure = injectedFailure;
  }

  boolean isTerminal() {
    return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELED");
  }

  /** An opaque ETag that changes with the task's state. */
  String etag() {
    return Etags.of(extId, status + "/" + progress);
  }

  /** The task as {@code GET /tasks/{extId}} renders it. */
  ObjectNode toJson() {
    ObjectNode n = PrismJson.typed(OBJECT_TYPE, etag());
    n.put("extId", extId);
    n.put("operation", operation);
    n.put("operationDescription", description);
    n.put("status", status);
    n.put("progressPercentage", progress);
    n.put("createdTime", PrismJson.time(createdTime));
    putTime(n, "startedTime", startedTime);
    putTime(n, "completedTime", completedTime);
    ArrayNode ents = n.putArray("entitiesAffected");
    for (Ref r : entities) {
      ents.addObject()
          .put("$objectType", "prism.v4.config.EntityReference")
          .put("extId", r.extId())
          .put("rel", r.rel())
          .put("name", r.name());
    }
    ArrayNode details = n.putArray("completionDetails");
    completionDetails.forEach(
        e -> details.addObject().put("name", e.getKey()).put("value", e.getValue()));
    ArrayNode errs = n.putArray("errorMessages");
    errors.forEach(e -> errs.add(e.toJson("prism.v4.error.AppMessage")));
    if (errors.isEmpty()) {
      n.putNull("legacyErrorMessage");
    } else {
      n.put("legacyErrorMessage", errors.get(0).message());
    }
    n.put("isCancelable", false);
    n.putArray("subTasks");
    return n;
  }

  private static void putTime(ObjectNode n, String field, @Nullable Instant t) {
    if (t == null) {
      n.putNull(field);
    } else {
      n.put(field, PrismJson.time(t));
    }
  }

  PrismTask snapshot() {
    return new PrismTask(
        extId,
        operation,
        status,
        progress,
        entities.stream().map(Ref::extId).toList(),
        errors.stream().map(AppMessage::code).toList(),
        toJson());
  }
}
