package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of the v4 API as the wire contract writes them: success envelopes (single entity,
 * list, task reference) and error bodies (application errors, schema validation, the non-JSON 401).
 */
final class Envelopes {

  /** The body of every 401: HTML, never JSON. */
  static final String UNAUTHORIZED_HTML =
      "<!DOCTYPE html>\n<html><head><title>401 Unauthorized</title></head>"
          + "<body><h1>401 Unauthorized</h1><p>Authentication required.</p></body></html>\n";

  private Envelopes() {}

  /**
   * One application error of an error body.
   *
   * @param code e.g. {@code VMM-30303}
   * @param errorGroup e.g. {@code VM_ETAG_MISMATCH}
   * @param message the human message
   * @param arguments the {@code argumentsMap}
   */
  record AppMessage(String code, String errorGroup, String message, Map<String, String> arguments) {

    AppMessage {
      arguments = Map.copyOf(arguments);
    }

    AppMessage(String code, String errorGroup, String message) {
      this(code, errorGroup, message, Map.of());
    }

    /** As it appears in an error body or a task's {@code errorMessages}. */
    ObjectNode toJson(String objectType) {
      ObjectNode n = PrismJson.object();
      n.put("$objectType", objectType);
      n.put("message", message);
      n.put("severity", "ERROR");
      n.put("code", code);
      n.put("errorGroup", errorGroup);
      ObjectNode args = n.putObject("argumentsMap");
      arguments.forEach(args::put);
      return n;
    }
  }

  /**
   * One schema violation.
   *
   * @param location {@code body} or {@code query}
   * @param attributePath e.g. {@code memorySizeBytes}
   * @param message e.g. {@code must be greater than or equal to 1}
   */
  record Violation(String location, String attributePath, String message) {

    static Violation body(String attributePath, String message) {
      return new Violation("body", attributePath, message);
    }

    static Violation query(String parameter, String message) {
      return new Violation("query", parameter, message);
    }
  }

  static ObjectNode metadata(boolean paginated, String selfHref, @Nullable Integer total) {
    ObjectNode m = PrismJson.object();
    ArrayNode flags = m.putArray("flags");
    flags.addObject().put("name", "hasError").put("value", false);
    flags.addObject().put("name", "isPaginated").put("value", paginated);
    m.putArray("links").addObject().put("href", selfHref).put("rel", "self");
    if (total != null) {
      m.put("totalAvailableResults", total);
    }
    return m;
  }

  private static ObjectNode envelope(String responseType, @Nullable JsonNode data, ObjectNode md) {
    ObjectNode n = PrismJson.object();
    if (data != null) {
      n.set("data", data);
    }
    n.set("metadata", md);
    n.put("$objectType", responseType);
    n.set("$reserved", PrismJson.reserved(null));
    return n;
  }

  /** The envelope of one entity. */
  static ObjectNode single(String responseType, JsonNode data, String selfHref) {
    return envelope(responseType, data, metadata(false, selfHref, null));
  }

  /** The envelope of a page of a list; an empty page has no {@code data} key. */
  static ObjectNode list(
      String responseType, List<? extends JsonNode> page, int total, String self) {
    ArrayNode data = null;
    if (!page.isEmpty()) {
      data = PrismJson.array();
      data.addAll(page);
    }
    return envelope(responseType, data, metadata(true, self, total));
  }

  /** The 202 envelope of an asynchronous mutation. */
  static ObjectNode taskReference(String responseType, String taskExtId, String taskHref) {
    ObjectNode data = PrismJson.typed("prism.v4.config.TaskReference", null);
    data.put("extId", taskExtId);
    ObjectNode n = PrismJson.object();
    n.set("data", data);
    n.put("$objectType", responseType);
    n.set("$reserved", PrismJson.reserved(null));
    ObjectNode md = metadata(false, taskHref, null);
    n.set("metadata", md);
    return n;
  }

  /** An error body carrying application errors. */
  static ObjectNode appError(Namespace ns, String responseType, List<AppMessage> messages) {
    ObjectNode data = PrismJson.object();
    ArrayNode list = data.putArray("error");
    for (AppMessage m : messages) {
      list.add(m.toJson(ns.errorType("AppMessage")));
    }
    data.put("$errorItemDiscriminator", "List<" + ns.errorType("AppMessage") + ">");
    data.put("$objectType", ns.errorType("ErrorResponse"));
    ObjectNode n = PrismJson.object();
    n.set("data", data);
    n.put("$dataItemDiscriminator", ns.errorType("ErrorResponse"));
    n.put("$objectType", responseType);
    return n;
  }

  /** The 400 body of schema violations. */
  static ObjectNode schemaError(Namespace ns, List<Violation> violations) {
    ObjectNode err = PrismJson.object();
    err.put("$objectType", ns.errorType("SchemaValidationError"));
    err.put("statusCode", 400);
    err.put("error", "Bad Request");
    ArrayNode list = err.putArray("validationErrorMessages");
    for (Violation v : violations) {
      ObjectNode m = list.addObject();
      m.put("$objectType", ns.errorType("SchemaValidationErrorMessage"));
      m.put("location", v.location());
      m.put("attributePath", v.attributePath());
      m.put("message", v.message());
    }
    ObjectNode data = PrismJson.object();
    data.set("error", err);
    data.put("$errorItemDiscriminator", ns.errorType("SchemaValidationError"));
    data.put("$objectType", ns.errorType("ErrorResponse"));
    ObjectNode n = PrismJson.object();
    n.set("data", data);
    return n;
  }

  // ------------------------------------------------------------------ errors as exceptions

  static ApiException error(Namespace ns, String responseType, int status, AppMessage message) {
    return new ApiException(HttpResult.json(status, appError(ns, responseType, List.of(message))));
  }

  static ApiException invalid(Namespace ns, List<Violation> violations) {
    return new ApiException(HttpResult.json(400, schemaError(ns, violations)));
  }

  static ApiException invalid(Namespace ns, Violation violation) {
    return invalid(ns, List.of(violation));
  }

  static HttpResult unauthorized() {
    return HttpResult.html(401, UNAUTHORIZED_HTML)
        .withHeader("WWW-Authenticate", "Basic realm=\"Intent Gateway Login Required\"");
  }
}
