package io.convergence.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.convergence.InvalidLabSpecException;
import io.convergence.spec.BackendOptions;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.DurationText;
import io.convergence.spec.EnvValue;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Mount;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.PortSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.Protocol;
import io.convergence.spec.Readiness;
import io.convergence.spec.ResourceSpec;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.Stage;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import io.convergence.spec.WorkloadSpec;
import io.convergence.spi.BackendOptionsFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Reads and writes lab specs as YAML or JSON.
 *
 * <pre>{@code
 * LabSpecCodec codec = LabSpecCodec.create();
 * LabSpec spec = codec.readYaml(Path.of("labs/wafer-analysis.yaml"));
 * String yaml = codec.writeYaml(spec);            // reads back into an equal spec
 * }</pre>
 *
 * <p>Reading reports every unknown field (with a suggestion for near misses), every value of the
 * wrong type and every duplicate key, each with its field path, in one {@link
 * InvalidLabSpecException}. It does not validate the values themselves; {@link LabSpec#validate()}
 * does, and starting a lab calls it.
 *
 * <p>Writing omits values equal to their defaults, so a spec written in its canonical form writes
 * back to the same document. Secrets given as literals are written as they are (they were in the
 * document); {@link #writeYaml(LabSpec, boolean)} with {@code redactSecrets} replaces them for
 * reports. Backend options are read and written by the {@link BackendOptionsFormat}s on the
 * classpath.
 *
 * @since 0.1.0
 */
public final class LabSpecCodec {

  private static final String REDACTED = "<redacted>";
  private static final List<String> PROBE_TYPES =
      List.of("tcp", "http", "exec", "logLine", "winrm", "ssh", "guestAgent");

  private final ObjectMapper yaml;
  private final ObjectMapper json;
  private final Map<String, BackendOptionsFormat<?>> formats;

  private LabSpecCodec(Map<String, BackendOptionsFormat<?>> formats) {
    YAMLFactory factory =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.yaml = new ObjectMapper(factory);
    this.json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    this.json.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    this.formats = Map.copyOf(formats);
  }

  /**
   * A codec with the backend option formats found on the classpath.
   *
   * @return the codec
   */
  public static LabSpecCodec create() {
    Map<String, BackendOptionsFormat<?>> formats = new LinkedHashMap<>();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LabSpecCodec.class.getClassLoader();
    }
    for (BackendOptionsFormat<?> f : ServiceLoader.load(BackendOptionsFormat.class, loader)) {
      formats.putIfAbsent(f.backendId(), f);
    }
    return new LabSpecCodec(formats);
  }

  /**
   * A codec with exactly the given backend option formats.
   *
   * @param formats the formats
   * @return the codec
   */
  public static LabSpecCodec withFormats(List<BackendOptionsFormat<?>> formats) {
    Map<String, BackendOptionsFormat<?>> byId = new LinkedHashMap<>();
    formats.forEach(f -> byId.put(f.backendId(), f));
    return new LabSpecCodec(byId);
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads a YAML document.
   *
   * @param document the YAML text
   * @return the spec
   * @throws InvalidLabSpecException listing every structural problem with its path
   */
  public LabSpec readYaml(String document) {
    return read(yaml, document, "<yaml>");
  }

  /**
   * Reads a YAML (or JSON, which YAML includes) document from a named source.
   *
   * @param document the text
   * @param source where it comes from, e.g. a resource's URL, for messages
   * @return the spec
   * @throws InvalidLabSpecException listing every structural problem with its path and the source
   */
  public LabSpec readYaml(String document, String source) {
    return read(yaml, document, source);
  }

  /**
   * Reads a YAML file.
   *
   * @param file the file
   * @return the spec
   * @throws InvalidLabSpecException listing every structural problem with its path
   * @throws UncheckedIOException when the file cannot be read
   */
  public LabSpec readYaml(Path file) {
    try {
      return read(yaml, Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lab spec " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a JSON document.
   *
   * @param document the JSON text
   * @return the spec
   * @throws InvalidLabSpecException listing every structural problem with its path
   */
  public LabSpec readJson(String document) {
    return read(json, document, "<json>");
  }

  private LabSpec read(ObjectMapper mapper, String document, String source) {
    JsonNode root;
    try {
      root = mapper.readTree(document);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new InvalidLabSpecException(
          source,
          List.of(
              new SpecProblem("", "not a valid document" + where + ": " + e.getOriginalMessage())));
    }
    List<SpecProblem> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      problems.add(
          new SpecProblem(
              "",
              "a lab spec is an object with name and workloads, found "
                  + (root == null ? "nothing" : Tree.describe(root))));
      throw new InvalidLabSpecException(source, problems);
    }
    Tree top = new Tree(root, "", problems);
    String name = top.text("name").orElse("");
    if (name.isEmpty()) {
      problems.add(
          new SpecProblem("name", "missing; every lab needs a name, e.g. name: wafer-analysis"));
    }
    LabSpec.Builder lab = LabSpec.builder(name);
    top.text("ttl").ifPresent(t -> duration(top, "ttl", t).ifPresent(lab::ttl));
    top.stringMap("labels").forEach(lab::label);
    top.entries(
        "sharedVolumes",
        (vname, v) ->
            top.asObject(v, "sharedVolumes[" + vname + "]")
                .ifPresent(
                    t -> {
                      lab.sharedVolume(
                          new SharedVolume(
                              vname, t.text("size").orElse(SharedVolume.DEFAULT_SIZE)));
                      t.rejectUnknown();
                    }));
    top.entries(
        "workloads",
        (wname, v) -> readWorkload(top, wname, v).ifPresent(w -> lab.workload(wname, w)));
    top.rejectUnknown();
    if (!problems.isEmpty()) {
      throw new InvalidLabSpecException(name.isEmpty() ? source : name, problems);
    }
    return lab.build();
  }

  private Optional<Duration> duration(Tree t, String field, String text) {
    Optional<Duration> d = DurationText.parse(text);
    if (d.isEmpty()) {
      t.problem(
          t.child(field), "\"" + text + "\" is not a duration; use e.g. 2h, 30m, 45s or 1h30m");
    }
    return d;
  }

  private Optional<WorkloadSpec> readWorkload(Tree top, String name, JsonNode node) {
    String path = "workloads[" + name + "]";
    Optional<Tree> wrapper = top.asObject(node, path);
    if (wrapper.isEmpty()) {
      return Optional.empty();
    }
    Tree w = wrapper.get();
    Optional<Tree> vm = w.object("vm");
    Optional<Tree> container = w.object("container");
    w.rejectUnknown();
    if (vm.isPresent() == container.isPresent()) {
      w.problem(
          path, "a workload is either a vm or a container; give exactly one of vm: or container:");
      return Optional.empty();
    }
    return vm.isPresent()
        ? Optional.of(readVm(vm.get()))
        : Optional.of(readContainer(container.get()));
  }

  private VmSpec readVm(Tree t) {
    VmSpec.Builder b = VmSpec.builder();
    t.field("image").ifPresent(v -> readImage(t, v).ifPresent(b::image));
    t.text("guestOs")
        .ifPresent(os -> enumValue(t, "guestOs", os, GuestOs.class).ifPresent(b::guestOs));
    t.integer("cpus").ifPresent(b::cpus);
    t.text("memory").ifPresent(b::memory);
    t.entries(
        "disks",
        (dname, v) ->
            t.asObject(v, t.child("disks") + "[" + dname + "]")
                .ifPresent(
                    d -> {
                      Optional<String> size = d.text("size");
                      if (size.isEmpty()) {
                        d.problem(
                            d.child("size"), "missing; give the disk's size, e.g. size: 50Gi");
                      }
                      b.disk(dname, size.orElse(""));
                      d.rejectUnknown();
                    }));
    t.field("cloudInit")
        .flatMap(v -> readSecret(t, v, t.child("cloudInit")))
        .ifPresent(b::cloudInit);
    t.field("sysprep").flatMap(v -> readSecret(t, v, t.child("sysprep"))).ifPresent(b::sysprep);
    t.bool("guestAgent").ifPresent(b::guestAgent);
    readCommon(t, b);
    t.rejectUnknown();
    return b.build();
  }

  private Optional<VmImage> readImage(Tree t, JsonNode v) {
    String at = t.child("image");
    if (v.isTextual()) {
      return Optional.of(VmImage.named(v.asText()));
    }
    Optional<Tree> o = t.asObject(v, at);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    Tree image = o.get();
    List<VmImage> found = new ArrayList<>();
    for (VmImage.Kind kind : VmImage.Kind.values()) {
      String key = kind.name().toLowerCase(Locale.ROOT);
      image.text(key).ifPresent(ref -> found.add(new VmImage(kind, ref)));
    }
    image.rejectUnknown();
    if (found.size() != 1) {
      t.problem(
          at,
          "give exactly one of named, url, registry or disk, e.g. image: {url: https://host/disk.qcow2}");
      return Optional.empty();
    }
    return Optional.of(found.get(0));
  }

  private ContainerSpec readContainer(Tree t) {
    ContainerSpec.Builder b = ContainerSpec.builder();
    t.text("image").ifPresent(b::image);
    List<String> command = t.strings("command");
    if (!command.isEmpty()) {
      b.command(command.toArray(String[]::new));
    }
    List<String> args = t.strings("args");
    if (!args.isEmpty()) {
      b.args(args.toArray(String[]::new));
    }
    t.entries(
        "env",
        (name, v) -> {
          String at = t.child("env") + "[" + name + "]";
          if (v.isObject()) {
            t.asObject(v, at)
                .ifPresent(
                    e -> {
                      Optional<JsonNode> secret = e.field("secret");
                      e.rejectUnknown();
                      if (secret.isEmpty()) {
                        e.problem(
                            at, "an object value needs secret:, e.g. {secret: {env: API_TOKEN}}");
                      } else {
                        readSecret(e, secret.get(), at + ".secret")
                            .ifPresent(s -> b.secretEnv(name, s));
                      }
                    });
          } else {
            t.scalar(v, at).ifPresent(s -> b.env(name, s));
          }
        });
    t.object("resources")
        .ifPresent(
            r -> {
              b.resources(
                  new ResourceSpec(r.text("cpu").orElse(null), r.text("memory").orElse(null)));
              r.rejectUnknown();
            });
    readCommon(t, b);
    t.rejectUnknown();
    return b.build();
  }

  private Optional<SecretValue> readSecret(Tree parent, JsonNode v, String at) {
    if (v.isTextual()) {
      return Optional.of(SecretValue.of(v.asText()));
    }
    Optional<Tree> o = parent.asObject(v, at);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    Tree s = o.get();
    List<SecretValue> found = new ArrayList<>();
    s.text("value").ifPresent(x -> found.add(SecretValue.of(x)));
    s.text("env").ifPresent(x -> found.add(SecretValue.fromEnv(x)));
    s.text("file").ifPresent(x -> found.add(SecretValue.from(SecretValue.Source.FILE, x)));
    s.rejectUnknown();
    if (found.size() != 1) {
      parent.problem(at, "give exactly one of value, env or file, e.g. {env: LAB_PASSWORD}");
      return Optional.empty();
    }
    return Optional.of(found.get(0));
  }

  private void readCommon(Tree t, WorkloadSpec.Builder<?> b) {
    t.list("ports", (v, at) -> readPort(t, v, at)).forEach(b::expose);
    t.entries(
        "mounts",
        (volume, v) -> {
          String at = t.child("mounts") + "[" + volume + "]";
          if (v.isTextual()) {
            b.mount(new Mount(volume, v.asText(), false));
          } else {
            t.asObject(v, at)
                .ifPresent(
                    m -> {
                      String path = m.text("path").orElse("");
                      if (path.isEmpty()) {
                        m.problem(
                            m.child("path"),
                            "missing; give where the volume appears, e.g. path: /data");
                      }
                      b.mount(new Mount(volume, path, m.bool("readOnly").orElse(false)));
                      m.rejectUnknown();
                    });
          }
        });
    t.object("readiness").ifPresent(r -> b.readiness(readReadiness(r)));
    t.strings("dependsOn").forEach(b::dependsOn);
    t.stringMap("labels").forEach(b::label);
    t.entries("options", (backendId, v) -> readOptions(t, backendId, v).ifPresent(b::options));
  }

  private Optional<PortSpec> readPort(Tree t, JsonNode v, String at) {
    if (!v.isObject()) {
      return t.integer(v, at).map(PortSpec::tcp);
    }
    return t.asObject(v, at)
        .flatMap(
            p -> {
              Optional<Integer> number = p.integer("port");
              Protocol protocol =
                  p.text("protocol")
                      .flatMap(x -> enumValue(p, "protocol", x, Protocol.class))
                      .orElse(Protocol.TCP);
              String name = p.text("name").orElse(null);
              p.rejectUnknown();
              if (number.isEmpty()) {
                p.problem(p.child("port"), "missing; give the port number, e.g. port: 8443");
                return Optional.empty();
              }
              return Optional.of(new PortSpec(number.get(), protocol, name));
            });
  }

  private Readiness readReadiness(Tree r) {
    Readiness.Builder b = Readiness.builder();
    r.list("probes", (v, at) -> readProbe(r, v, at)).forEach(b::probe);
    r.object("timeouts")
        .ifPresent(
            t -> {
              for (Stage stage : Stage.values()) {
                t.text(stage.id())
                    .flatMap(x -> duration(t, stage.id(), x))
                    .ifPresent(d -> b.timeout(stage, d));
              }
              t.rejectUnknown();
            });
    r.text("probeInterval")
        .flatMap(x -> duration(r, "probeInterval", x))
        .ifPresent(b::probeInterval);
    r.rejectUnknown();
    return b.build();
  }

  private Optional<Probe> readProbe(Tree parent, JsonNode v, String at) {
    if (v.isTextual()) {
      switch (v.asText()) {
        case "winrm":
          return Optional.of(Probe.winRm());
        case "ssh":
          return Optional.of(Probe.ssh());
        case "guestAgent":
          return Optional.of(Probe.guestAgent());
        default:
          parent.problem(
              at,
              "\""
                  + v.asText()
                  + "\" is not a probe; use winrm, ssh, guestAgent or an object such as"
                  + " {tcp: {port: 5985}}");
          return Optional.empty();
      }
    }
    Optional<Tree> o = parent.asObject(v, at);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    Tree p = o.get();
    List<Probe> found = new ArrayList<>();
    p.object("tcp")
        .ifPresent(
            t -> {
              Optional<Integer> port = port(t);
              t.rejectUnknown();
              port.ifPresent(n -> found.add(Probe.tcp(n)));
            });
    p.object("http")
        .ifPresent(
            t -> {
              Optional<Integer> port = port(t);
              String path = t.text("path").orElse("/");
              boolean https = t.bool("https").orElse(false);
              Integer status = t.integer("expectedStatus").orElse(null);
              t.rejectUnknown();
              port.ifPresent(n -> found.add(new Probe.Http(n, path, https, status)));
            });
    p.object("exec")
        .ifPresent(
            t -> {
              List<String> command = t.strings("command");
              t.rejectUnknown();
              found.add(new Probe.Exec(command));
            });
    p.object("logLine")
        .ifPresent(
            t -> {
              Optional<String> regex = t.text("regex");
              t.rejectUnknown();
              if (regex.isEmpty()) {
                t.problem(
                    t.child("regex"),
                    "missing; give the expression to wait for, e.g. regex: 'listening on'");
              } else {
                found.add(new Probe.LogLine(regex.get()));
              }
            });
    p.object("winrm")
        .ifPresent(
            t -> {
              int port = t.integer("port").orElse(5985);
              boolean https = t.bool("https").orElse(false);
              t.rejectUnknown();
              found.add(new Probe.WinRm(port, https));
            });
    p.object("ssh")
        .ifPresent(
            t -> {
              int port = t.integer("port").orElse(22);
              t.rejectUnknown();
              found.add(new Probe.Ssh(port));
            });
    p.object("guestAgent")
        .ifPresent(
            t -> {
              t.rejectUnknown();
              found.add(Probe.guestAgent());
            });
    p.rejectUnknown();
    boolean typed = PROBE_TYPES.stream().anyMatch(v::has);
    if (!typed) {
      parent.problem(
          at,
          "a probe needs its type; use one of "
              + String.join(", ", PROBE_TYPES)
              + ", e.g. {tcp: {port: 5985}}");
      return Optional.empty();
    }
    if (found.size() > 1) {
      parent.problem(at, "a probe has exactly one type; split it into one list entry per probe");
      return Optional.empty();
    }
    return found.stream().findFirst();
  }

  private Optional<Integer> port(Tree t) {
    Optional<Integer> port = t.integer("port");
    if (port.isEmpty()) {
      t.problem(t.child("port"), "missing; give the port to probe, e.g. port: 8080");
    }
    return port;
  }

  private Optional<BackendOptions> readOptions(Tree t, String backendId, JsonNode v) {
    String at = t.child("options") + "[" + backendId + "]";
    BackendOptionsFormat<?> format = formats.get(backendId);
    if (format == null) {
      t.problem(
          at,
          "no options format for backend '"
              + backendId
              + "' on the classpath (known: "
              + (formats.isEmpty() ? "none" : String.join(", ", formats.keySet()))
              + "); add the backend's module, e.g. io.convergence:convergence-"
              + backendId);
      return Optional.empty();
    }
    if (!v.isObject()) {
      t.problem(at, "expected an object, found " + Tree.describe(v));
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) Tree.plain(v);
    Consumer<SpecProblem> sink = p -> t.problem(p.path(), p.message());
    return Optional.of(format.read(tree, at, sink));
  }

  private <E extends Enum<E>> Optional<E> enumValue(
      Tree t, String field, String text, Class<E> type) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text)) {
        return Optional.of(e);
      }
    }
    List<String> valid = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      valid.add(e.name().toLowerCase(Locale.ROOT));
    }
    t.problem(
        t.child(field), "\"" + text + "\" is not valid; use one of " + String.join(", ", valid));
    return Optional.empty();
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes a spec as YAML.
   *
   * @param spec the spec
   * @return the document
   */
  public String writeYaml(LabSpec spec) {
    return writeYaml(spec, false);
  }

  /**
   * Writes a spec as YAML, optionally with literal secrets replaced by {@code <redacted>} (for
   * reports; such a document does not read back into an equal spec).
   *
   * @param spec the spec
   * @param redactSecrets whether to replace literal secrets
   * @return the document
   */
  public String writeYaml(LabSpec spec, boolean redactSecrets) {
    try {
      return yaml.writeValueAsString(tree(spec, redactSecrets));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write lab spec " + spec.name(), e);
    }
  }

  /**
   * Writes a spec as JSON.
   *
   * @param spec the spec
   * @return the document
   */
  public String writeJson(LabSpec spec) {
    try {
      return json.writeValueAsString(tree(spec, false));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write lab spec " + spec.name(), e);
    }
  }

  /**
   * A stable hash of a spec: the first 16 hex digits of the SHA-256 of its canonical JSON form.
   * Equal specs have equal hashes; secrets from variables or files count by their name, not their
   * value.
   *
   * @param spec the spec
   * @return the hash, label-safe
   */
  public String specHash(LabSpec spec) {
    try {
      byte[] canonical = new ObjectMapper().writeValueAsBytes(tree(spec, false));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash lab spec " + spec.name(), e);
    }
  }

  private ObjectNode tree(LabSpec spec, boolean redact) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("name", spec.name());
    if (!spec.ttl().equals(LabSpec.DEFAULT_TTL)) {
      root.put("ttl", DurationText.format(spec.ttl()));
    }
    putMap(root, "labels", spec.labels());
    if (!spec.sharedVolumes().isEmpty()) {
      ObjectNode volumes = root.putObject("sharedVolumes");
      for (SharedVolume v : spec.sharedVolumes()) {
        ObjectNode o = volumes.putObject(v.name());
        if (!v.size().equals(SharedVolume.DEFAULT_SIZE)) {
          o.put("size", v.size());
        }
      }
    }
    ObjectNode workloads = root.putObject("workloads");
    for (NamedWorkload w : spec.workloads()) {
      ObjectNode wrapper = workloads.putObject(w.name());
      if (w.spec() instanceof VmSpec vm) {
        writeVm(wrapper.putObject("vm"), vm, redact);
      } else {
        writeContainer(wrapper.putObject("container"), (ContainerSpec) w.spec(), redact);
      }
    }
    return root;
  }

  private void writeVm(ObjectNode o, VmSpec vm, boolean redact) {
    vm.image()
        .ifPresent(
            image -> {
              if (image.kind() == VmImage.Kind.NAMED) {
                o.put("image", image.reference());
              } else {
                o.putObject("image")
                    .put(image.kind().name().toLowerCase(Locale.ROOT), image.reference());
              }
            });
    if (vm.guestOs() != GuestOs.LINUX) {
      o.put("guestOs", vm.guestOs().name().toLowerCase(Locale.ROOT));
    }
    if (vm.cpus() != VmSpec.DEFAULT_CPUS) {
      o.put("cpus", vm.cpus());
    }
    if (!vm.memory().equals(VmSpec.DEFAULT_MEMORY)) {
      o.put("memory", vm.memory());
    }
    if (!vm.disks().isEmpty()) {
      ObjectNode disks = o.putObject("disks");
      vm.disks().forEach(d -> disks.putObject(d.name()).put("size", d.size()));
    }
    vm.cloudInit().ifPresent(s -> writeSecret(o, "cloudInit", s, redact));
    vm.sysprep().ifPresent(s -> writeSecret(o, "sysprep", s, redact));
    if (vm.guestAgent()) {
      o.put("guestAgent", true);
    }
    writeCommon(o, vm);
  }

  private void writeContainer(ObjectNode o, ContainerSpec c, boolean redact) {
    o.put("image", c.image());
    if (!c.command().isEmpty()) {
      ArrayNode a = o.putArray("command");
      c.command().forEach(a::add);
    }
    if (!c.args().isEmpty()) {
      ArrayNode a = o.putArray("args");
      c.args().forEach(a::add);
    }
    if (!c.env().isEmpty()) {
      ObjectNode env = o.putObject("env");
      c.env()
          .forEach(
              (name, value) -> {
                if (value instanceof EnvValue.Plain p) {
                  env.put(name, p.value());
                } else {
                  writeSecret(
                      env.putObject(name), "secret", ((EnvValue.Secret) value).value(), redact);
                }
              });
    }
    if (!c.resources().equals(ResourceSpec.DEFAULT)) {
      ObjectNode r = o.putObject("resources");
      c.resources().optionalCpu().ifPresent(x -> r.put("cpu", x));
      c.resources().optionalMemory().ifPresent(x -> r.put("memory", x));
    }
    writeCommon(o, c);
  }

  private void writeSecret(ObjectNode parent, String field, SecretValue s, boolean redact) {
    switch (s.source()) {
      case LITERAL:
        parent.put(field, redact ? REDACTED : s.reference());
        break;
      case ENV:
        parent.putObject(field).put("env", s.reference());
        break;
      case FILE:
        parent.putObject(field).put("file", s.reference());
        break;
      default:
        throw new AssertionError(s.source());
    }
  }

  private void writeCommon(ObjectNode o, WorkloadSpec w) {
    if (!w.ports().isEmpty()) {
      ArrayNode ports = o.putArray("ports");
      for (PortSpec p : w.ports()) {
        if (p.protocol() == Protocol.TCP && p.name() == null) {
          ports.add(p.number());
        } else {
          ObjectNode po = ports.addObject();
          po.put("port", p.number());
          if (p.protocol() != Protocol.TCP) {
            po.put("protocol", p.protocol().name());
          }
          if (p.name() != null) {
            po.put("name", p.name());
          }
        }
      }
    }
    if (!w.mounts().isEmpty()) {
      ObjectNode mounts = o.putObject("mounts");
      for (Mount m : w.mounts()) {
        if (m.readOnly()) {
          mounts.putObject(m.volume()).put("path", m.path()).put("readOnly", true);
        } else {
          mounts.put(m.volume(), m.path());
        }
      }
    }
    if (!w.readiness().equals(Readiness.DEFAULT)) {
      writeReadiness(o.putObject("readiness"), w.readiness());
    }
    if (!w.dependsOn().isEmpty()) {
      ArrayNode deps = o.putArray("dependsOn");
      w.dependsOn().forEach(deps::add);
    }
    putMap(o, "labels", w.labels());
    if (!w.options().isEmpty()) {
      ObjectNode options = o.putObject("options");
      for (BackendOptions opt : w.options()) {
        options.set(opt.backendId(), writeOptions(opt));
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private JsonNode writeOptions(BackendOptions options) {
    BackendOptionsFormat format = formats.get(options.backendId());
    if (format == null || !format.type().isInstance(options)) {
      throw new IllegalArgumentException(
          "no options format for backend '"
              + options.backendId()
              + "' on the classpath; cannot write "
              + options);
    }
    Map<String, Object> tree = format.write(options);
    return json.valueToTree(tree);
  }

  private void writeReadiness(ObjectNode o, Readiness r) {
    if (!r.probes().isEmpty()) {
      ArrayNode probes = o.putArray("probes");
      for (Probe p : r.probes()) {
        writeProbe(probes, p);
      }
    }
    if (!r.timeoutOverrides().isEmpty()) {
      ObjectNode t = o.putObject("timeouts");
      r.timeoutOverrides().forEach((stage, d) -> t.put(stage.id(), DurationText.format(d)));
    }
    if (!r.probeInterval().equals(Readiness.DEFAULT_PROBE_INTERVAL)) {
      o.put("probeInterval", DurationText.format(r.probeInterval()));
    }
  }

  private void writeProbe(ArrayNode probes, Probe p) {
    if (p.equals(Probe.winRm()) || p.equals(Probe.ssh()) || p.equals(Probe.guestAgent())) {
      probes.add(p.type());
      return;
    }
    ObjectNode body = probes.addObject().putObject(p.type());
    if (p instanceof Probe.Tcp t) {
      body.put("port", t.port());
    } else if (p instanceof Probe.Http h) {
      body.put("port", h.port());
      body.put("path", h.path());
      if (h.https()) {
        body.put("https", true);
      }
      if (h.expectedStatus() != null) {
        body.put("expectedStatus", h.expectedStatus());
      }
    } else if (p instanceof Probe.Exec e) {
      ArrayNode c = body.putArray("command");
      e.command().forEach(c::add);
    } else if (p instanceof Probe.LogLine l) {
      body.put("regex", l.regex());
    } else if (p instanceof Probe.WinRm w) {
      body.put("port", w.port());
      if (w.https()) {
        body.put("https", true);
      }
    } else if (p instanceof Probe.Ssh s) {
      body.put("port", s.port());
    }
  }

  private static void putMap(ObjectNode o, String field, Map<String, String> map) {
    if (!map.isEmpty()) {
      ObjectNode m = o.putObject(field);
      map.forEach(m::put);
    }
  }
}
