package io.convergence.testkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The schemas of a set of CustomResourceDefinitions, by {@code apiVersion} and kind, read from CRD
 * YAML files (for example {@code ../shared/data/kubevirt-crds}). {@link #check(Object)} lists every
 * field of an object that a real API server would reject (wrong type, missing required field, value
 * not in an enum) or prune (unknown field).
 *
 * @since 0.1.0
 */
public final class CrdSchemas {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JsonNode> schemas = new LinkedHashMap<>();

  private CrdSchemas() {}

  /**
   * Reads every CRD in the given files or folders.
   *
   * @param paths CRD YAML files or folders of them
   * @return the schemas
   * @throws UncheckedIOException when a file cannot be read
   */
  public static CrdSchemas load(Path... paths) {
    CrdSchemas s = new CrdSchemas();
    for (Path p : paths) {
      try (Stream<Path> files = Files.isDirectory(p) ? Files.list(p) : Stream.of(p)) {
        for (Path f :
            files
                .filter(x -> x.toString().endsWith(".yaml") || x.toString().endsWith(".yml"))
                .sorted()
                .toList()) {
          s.read(f);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRDs from " + p, e);
      }
    }
    return s;
  }

  private void read(Path file) throws IOException {
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
      Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode crd = docs.next();
        if (crd == null || !"CustomResourceDefinition".equals(crd.path("kind").asText())) {
          continue;
        }
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        for (JsonNode version : crd.path("spec").path("versions")) {
          JsonNode schema = version.path("schema").path("openAPIV3Schema");
          if (!schema.isMissingNode()) {
            schemas.put(group + "/" + version.path("name").asText() + "/" + kind, schema);
          }
        }
      }
    }
  }

  /**
   * The versions known, as {@code group/version/Kind}.
   *
   * @return the keys
   */
  public List<String> kinds() {
    return List.copyOf(schemas.keySet());
  }

  /**
   * The schema of an {@code apiVersion} and kind.
   *
   * @param apiVersion e.g. {@code kubevirt.io/v1}
   * @param kind e.g. {@code VirtualMachine}
   * @return the schema
   */
  public Optional<JsonNode> schema(String apiVersion, String kind) {
    return Optional.ofNullable(schemas.get(apiVersion + "/" + kind));
  }

  /**
   * Every problem a real API server would have with {@code object}: rejections and prunings, with
   * JSON paths.
   *
   * @param object a Kubernetes object (a fabric8 model object, a map, or a JSON tree)
   * @return the problems; empty when the object is accepted as it is
   * @throws IllegalArgumentException when no schema of the object's apiVersion and kind is loaded
   */
  public List<String> check(Object object) {
    JsonNode node = JSON.valueToTree(object);
    String apiVersion = node.path("apiVersion").asText();
    String kind = node.path("kind").asText();
    JsonNode schema =
        schema(apiVersion, kind)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no CRD schema for "
                            + apiVersion
                            + " "
                            + kind
                            + "; loaded: "
                            + schemas.keySet()));
    List<String> problems = new ArrayList<>();
    ObjectNode body = ((ObjectNode) node).deepCopy();
    body.remove("metadata");
    body.remove("apiVersion");
    body.remove("kind");
    checkNode(body, schema, "", problems, true);
    return problems;
  }

  private void checkNode(
      JsonNode value, JsonNode schema, String path, List<String> problems, boolean top) {
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        problems.add(path + ": null is not allowed (the server rejects or prunes it)");
      }
      return;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        problems.add(path + ": expected an integer or a string, found " + value.getNodeType());
      }
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object":
        if (!value.isObject()) {
          problems.add(path + ": expected an object, found " + value.getNodeType());
          return;
        }
        break;
      case "array":
        if (!value.isArray()) {
          problems.add(path + ": expected an array, found " + value.getNodeType());
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          checkNode(value.get(i), schema.path("items"), path + "[" + i + "]", problems, false);
        }
        return;
      case "string":
        if (!value.isTextual()) {
          problems.add(path + ": expected a string, found " + value.getNodeType() + " " + value);
        } else {
          checkEnum(value, schema, path, problems);
        }
        return;
      case "integer":
        if (!value.isIntegralNumber()) {
          problems.add(path + ": expected an integer, found " + value.getNodeType() + " " + value);
        }
        return;
      case "number":
        if (!value.isNumber()) {
          problems.add(path + ": expected a number, found " + value.getNodeType());
        }
        return;
      case "boolean":
        if (!value.isBoolean()) {
          problems.add(path + ": expected a boolean, found " + value.getNodeType() + " " + value);
        }
        return;
      default:
        if (!value.isObject()) {
          return;
        }
    }
    JsonNode properties = schema.path("properties");
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText()) && !(top && required.asText().equals("metadata"))) {
        problems.add(path + ": required field '" + required.asText() + "' is missing");
      }
    }
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    JsonNode additional = schema.path("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String p = path + "." + f.getKey();
      if (properties.has(f.getKey())) {
        checkNode(f.getValue(), properties.get(f.getKey()), p, problems, false);
      } else if (additional.isObject()) {
        checkNode(f.getValue(), additional, p, problems, false);
      } else if (!preserve && !(additional.isBoolean() && additional.asBoolean())) {
        problems.add(p + ": unknown field (the server prunes it)");
      }
    }
  }

  private static void checkEnum(
      JsonNode value, JsonNode schema, String path, List<String> problems) {
    JsonNode values = schema.path("enum");
    if (values.isArray() && values.size() > 0) {
      for (JsonNode v : values) {
        if (v.asText().equals(value.asText())) {
          return;
        }
      }
      problems.add(path + ": \"" + value.asText() + "\" is not one of " + values);
    }
  }
}
