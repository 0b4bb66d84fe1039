package io.convergence.nutanix.prism.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.nutanix.prism.PrismCall;
import io.convergence.nutanix.prism.PrismConflictException;
import io.convergence.nutanix.prism.PrismErrorMessage;
import io.convergence.nutanix.prism.PrismException;
import io.convergence.nutanix.prism.PrismForbiddenException;
import io.convergence.nutanix.prism.PrismNotFoundException;
import io.convergence.nutanix.prism.PrismRateLimitedException;
import io.convergence.nutanix.prism.PrismServerException;
import io.convergence.nutanix.prism.PrismUnauthenticatedException;
import io.convergence.nutanix.prism.PrismValidationError;
import io.convergence.nutanix.prism.PrismValidationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns an error answer into a {@link PrismException}: decodes the v4 error body ({@code
 * data.error} as a list of {@code AppMessage}s, or a {@code SchemaValidationError}; also a flat
 * gateway {@code {"code","message"}} and a v3 {@code message_list}) and classifies by HTTP status
 * first and {@code errorGroup} second, like prism-go-client's {@code Categorise}. A non-JSON body
 * (the 401 page, a proxy's 502 page) is described, never copied.
 */
public final class ErrorDecoder {
  private ErrorDecoder() {}

  /** What an error body holds. */
  private record Body(
      List<PrismErrorMessage> messages, List<PrismValidationError> validation, String summary) {}

  /**
   * Decodes and classifies an error answer.
   *
   * @param request the request
   * @param status the HTTP status (4xx or 5xx)
   * @param contentType the {@code Content-Type}, or {@code null}
   * @param body the body
   * @param attempts how many times the request was sent
   * @return the exception to throw
   */
  public static PrismException decode(
      PrismRequest request, int status, @Nullable String contentType, byte[] body, int attempts) {
    PrismCall call = new PrismCall(request.method(), request.path(), request.requestId());
    Body b = parse(status, contentType, body);
    String summary = b.summary();
    if (attempts > 1) {
      summary =
          summary.isEmpty()
              ? "after " + attempts + " attempts"
              : summary + " after " + attempts + " attempts";
    }
    String op = request.operation();
    List<PrismErrorMessage> m = b.messages();
    switch (status) {
      case 422:
        return validation(op, call, status, b, summary);
      case 401:
        return new PrismUnauthenticatedException(
            op,
            call,
            status,
            m,
            summary,
            "the user name and password or the API key (PrismConfig.basicAuth/apiKey)",
            null);
      case 403:
        return new PrismForbiddenException(
            op, call, status, m, summary, "the role of the user or service account", null);
      case 404:
        return new PrismNotFoundException(op, call, status, m, summary, "", null);
      case 409:
      case 412:
      case 428:
        return new PrismConflictException(op, call, status, m, summary, "", null);
      case 429:
        return new PrismRateLimitedException(
            op, call, status, m, summary, "fewer parallel calls to Prism Central", null);
      case 408:
        return new PrismServerException(op, call, status, m, summary, "", null);
      default:
        break;
    }
    if (status >= 500 && status <= 599) {
      return new PrismServerException(
          op, call, status, m, summary, "Prism Central's health (cluster services)", null);
    }
    if (!b.validation().isEmpty()) {
      return validation(op, call, status, b, summary);
    }
    String group = m.isEmpty() || m.get(0).errorGroup() == null ? "" : m.get(0).errorGroup();
    switch (group.toUpperCase(Locale.ROOT)) {
      case "ENTITY_NOT_FOUND":
      case "RESOURCE_NOT_FOUND":
      case "NOT_FOUND":
        return new PrismNotFoundException(op, call, status, m, summary, "", null);
      case "RATE_LIMIT_EXCEEDED":
      case "RATE_LIMIT_ERROR":
        return new PrismRateLimitedException(op, call, status, m, summary, "", null);
      case "VM_ETAG_MISMATCH":
      case "CATEGORY_ALREADY_EXISTS":
      case "VM_OPERATION_CONFLICT":
      case "MISSING_ETAG_HEADER":
        return new PrismConflictException(op, call, status, m, summary, "", null);
      case "ACCESS_DENIED":
        return new PrismForbiddenException(op, call, status, m, summary, "", null);
      default:
        break;
    }
    if (status == 400) {
      return validation(op, call, status, b, summary);
    }
    return new PrismException(op, call, status, m, summary, "", null);
  }

  private static PrismValidationException validation(
      String op, PrismCall call, int status, Body b, String summary) {
    return new PrismValidationException(
        op,
        call,
        status,
        b.messages(),
        b.validation(),
        summary,
        status == 422
            ? "that every referenced cluster, image, subnet and category exists"
            : "the request against the Prism Central v4 schema",
        null);
  }

  private static Body parse(int status, @Nullable String contentType, byte[] body) {
    String type = contentType == null ? "no content type" : contentType;
    boolean jsonish =
        (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json"))
            || startsWithBrace(body);
    if (body.length == 0) {
      return new Body(List.of(), List.of(), "empty body");
    }
    if (!jsonish) {
      return new Body(
          List.of(),
          List.of(),
          status == 401
              ? "the credentials were refused (non-JSON body, " + type + ")"
              : "non-JSON body (" + type + ", " + body.length + " bytes)");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      return new Body(List.of(), List.of(), "unreadable JSON body (" + body.length + " bytes)");
    }
    if (root == null || !root.isObject()) {
      return new Body(List.of(), List.of(), "unexpected JSON body");
    }
    JsonNode data = root.path("data");
    JsonNode error = data.path("error");
    if (error.isArray()) {
      return new Body(appMessages(error), List.of(), "");
    }
    if (error.isObject()) {
      if (error.has("validationErrorMessages")
          || error.path("$objectType").asText().endsWith("SchemaValidationError")) {
        List<PrismValidationError> v = new ArrayList<>();
        for (JsonNode n : error.path("validationErrorMessages")) {
          v.add(
              new PrismValidationError(
                  text(n, "location"), text(n, "attributePath"), text(n, "message")));
        }
        String title = text(error, "error");
        StringBuilder s = new StringBuilder("schema validation failed");
        if (title != null && !title.isEmpty()) {
          s.append(" (").append(title).append(')');
        }
        if (!v.isEmpty()) {
          s.append(": ");
          for (int i = 0; i < v.size(); i++) {
            if (i > 0) {
              s.append("; ");
            }
            s.append(v.get(i));
          }
        }
        return new Body(List.of(), v, s.toString());
      }
      return new Body(appMessages(List.of(error)), List.of(), "");
    }
    // a gateway's flat {"code":"PLAT-10005","message":"Invalid eTag header"}
    if (root.has("message") || root.has("code") && root.path("code").isTextual()) {
      return new Body(
          List.of(
              new PrismErrorMessage(
                  text(root, "code"),
                  text(root, "errorGroup"),
                  text(root, "message"),
                  text(root, "severity"),
                  Map.of())),
          List.of(),
          "");
    }
    // v3-style {"message_list":[{"reason","message"}]}
    JsonNode list = root.path("message_list");
    if (list.isArray() && list.size() > 0) {
      List<PrismErrorMessage> m = new ArrayList<>();
      for (JsonNode n : list) {
        m.add(PrismErrorMessage.of(null, text(n, "reason"), text(n, "message")));
      }
      return new Body(m, List.of(), "");
    }
    return new Body(List.of(), List.of(), "error body without messages");
  }

  private static List<PrismErrorMessage> appMessages(Iterable<JsonNode> nodes) {
    List<PrismErrorMessage> m = new ArrayList<>();
    for (JsonNode n : nodes) {
      try {
        m.add(Json.MAPPER.treeToValue(n, PrismErrorMessage.class));
      } catch (IOException | IllegalArgumentException e) {
        m.add(PrismErrorMessage.of(text(n, "code"), text(n, "errorGroup"), text(n, "message")));
      }
    }
    return m;
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static boolean startsWithBrace(byte[] body) {
    for (byte b : body) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{';
    }
    return false;
  }
}
