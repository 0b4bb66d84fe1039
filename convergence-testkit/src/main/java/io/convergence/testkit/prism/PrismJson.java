package io.convergence.testkit.prism;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/** JSON helpers of the fake: one mapper, node builders and the API's time format. */
final class PrismJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The fixed {@code $fv} of every {@code $reserved}. */
  static final String FV = "v4.r0";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private PrismJson() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** {@code {"$fv":"v4.r0"}}, plus the ETag when there is one. */
  static ObjectNode reserved(@Nullable String etag) {
    ObjectNode r = object().put("$fv", FV);
    if (etag != null) {
      r.put("ETag", etag);
    }
    return r;
  }

  /** An object that starts with {@code $objectType} and {@code $reserved}. */
  static ObjectNode typed(String objectType, @Nullable String etag) {
    ObjectNode n = object();
    n.put("$objectType", objectType);
    n.set("$reserved", reserved(etag));
    return n;
  }

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a body; throws {@link IOException} when it is not JSON. */
  static JsonNode parse(byte[] body) throws IOException {
    JsonNode n = MAPPER.readTree(body);
    if (n == null || n.isMissingNode()) {
      throw new IOException("empty body");
    }
    return n;
  }

  static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
