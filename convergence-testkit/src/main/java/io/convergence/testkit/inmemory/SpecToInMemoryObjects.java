package io.convergence.testkit.inmemory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.convergence.Ownership;
import io.convergence.plan.NativeObject;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.EnvValue;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Mount;
import io.convergence.spec.PortSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.VmSpec;
import io.convergence.spec.WorkloadSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a lab's spec to the objects the in-memory backend sends to its platform: a Lab, a Volume per
 * shared volume, a Secret per workload with secrets, and a VirtualMachine or Container per
 * workload. Pure.
 */
final class SpecToInMemoryObjects {

  /** An object to create: what is sent, with its secret values; {@link #render} redacts them. */
  record Request(String kind, String name, Map<String, String> labels, Map<String, Object> spec) {}

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private SpecToInMemoryObjects() {}

  static Map<String, String> labLabels(LabSpec spec, Ownership ownership) {
    Map<String, String> labels = new LinkedHashMap<>(spec.labels());
    labels.putAll(ownership.labels());
    return labels;
  }

  static List<Request> labObjects(LabSpec spec, Ownership ownership) {
    Map<String, String> labels = labLabels(spec, ownership);
    List<Request> out = new ArrayList<>();
    out.add(
        new Request(
            "Lab", ownership.labId(), labels, Map.of("ttlSeconds", spec.ttl().toSeconds())));
    for (SharedVolume v : spec.sharedVolumes()) {
      out.add(
          new Request(
              "Volume", v.name(), labels, Map.of("size", v.size(), "accessMode", "ReadWriteMany")));
    }
    return out;
  }

  static List<Request> workloadObjects(
      String name, WorkloadSpec w, LabSpec lab, Ownership ownership) {
    Map<String, String> labels = new LinkedHashMap<>(w.labels());
    labels.putAll(labLabels(lab, ownership));
    labels.put(Ownership.WORKLOAD_KEY, name);
    List<Request> out = new ArrayList<>();
    Map<String, Object> spec = new LinkedHashMap<>();
    Map<String, Object> secretData = new LinkedHashMap<>();
    String secretName = name + "-secrets";
    String kind;
    if (w instanceof VmSpec vm) {
      kind = "VirtualMachine";
      vm.image()
          .ifPresent(
              i ->
                  spec.put(
                      "image", Map.of(i.kind().name().toLowerCase(Locale.ROOT), i.reference())));
      spec.put("guestOs", vm.guestOs().name().toLowerCase(Locale.ROOT));
      spec.put("cpus", vm.cpus());
      spec.put("memory", vm.memory());
      if (!vm.disks().isEmpty()) {
        spec.put(
            "disks",
            vm.disks().stream().map(d -> Map.of("name", d.name(), "size", d.size())).toList());
      }
      vm.cloudInit().ifPresent(s -> secretData.put("userdata", s.reveal()));
      vm.sysprep().ifPresent(s -> secretData.put("autounattend.xml", s.reveal()));
      if (!secretData.isEmpty()) {
        spec.put(
            "customization",
            Map.of(
                vm.cloudInit().isPresent() ? "cloudInit" : "sysprep",
                Map.of("secretRef", secretName)));
      }
      spec.put("guestExpected", vm.guestAgent() || !secretData.isEmpty());
    } else {
      ContainerSpec c = (ContainerSpec) w;
      kind = "Container";
      spec.put("image", c.image());
      if (!c.command().isEmpty()) {
        spec.put("command", c.command());
      }
      if (!c.args().isEmpty()) {
        spec.put("args", c.args());
      }
      Map<String, Object> env = new LinkedHashMap<>();
      c.env()
          .forEach(
              (k, v) -> {
                if (v instanceof EnvValue.Plain p) {
                  env.put(k, p.value());
                } else {
                  secretData.put(k, ((EnvValue.Secret) v).value().reveal());
                  env.put(k, Map.of("secretRef", Map.of("name", secretName, "key", k)));
                }
              });
      if (!env.isEmpty()) {
        spec.put("env", env);
      }
      c.resources().optionalCpu().ifPresent(x -> spec.put("cpu", x));
      c.resources().optionalMemory().ifPresent(x -> spec.put("memoryLimit", x));
    }
    if (!w.ports().isEmpty()) {
      spec.put("ports", w.ports().stream().map(PortSpec::number).toList());
    }
    if (!w.mounts().isEmpty()) {
      List<Map<String, Object>> mounts = new ArrayList<>();
      for (Mount m : w.mounts()) {
        mounts.add(Map.of("volume", m.volume(), "path", m.path(), "readOnly", m.readOnly()));
      }
      spec.put("mounts", mounts);
    }
    if (!w.readiness().probes().isEmpty()) {
      spec.put(
          "probes", w.readiness().probes().stream().map(SpecToInMemoryObjects::probe).toList());
      spec.put("probeIntervalMillis", w.readiness().probeInterval().toMillis());
    }
    w.options(InMemoryOptions.class)
        .ifPresent(
            o -> {
              Map<String, Object> millis = new LinkedHashMap<>();
              o.latencies().forEach((s, d) -> millis.put(s.name(), d.toMillis()));
              spec.put("latencyMillis", millis);
            });
    if (!secretData.isEmpty()) {
      out.add(new Request("Secret", secretName, labels, Map.of("data", secretData)));
    }
    out.add(new Request(kind, name, labels, spec));
    return out;
  }

  private static Map<String, Object> probe(Probe p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", p.type());
    if (p.port() != 0) {
      m.put("port", p.port());
    }
    if (p instanceof Probe.Http h) {
      m.put("path", h.path());
    } else if (p instanceof Probe.Exec e) {
      m.put("command", e.command());
    } else if (p instanceof Probe.LogLine l) {
      m.put("regex", l.regex());
    }
    return m;
  }

  /** The object as YAML, with the data of Secrets replaced by {@code <redacted>}. */
  static NativeObject render(Request r) {
    Map<String, Object> spec = r.spec();
    if (r.kind().equals("Secret") && spec.get("data") instanceof Map<?, ?> data) {
      Map<String, Object> redacted = new LinkedHashMap<>();
      data.keySet().forEach(k -> redacted.put(String.valueOf(k), NativeObject.REDACTED));
      spec = Map.of("data", redacted);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("kind", r.kind());
    doc.put("metadata", Map.of("name", r.name(), "labels", new java.util.TreeMap<>(r.labels())));
    doc.put("spec", spec);
    try {
      return new NativeObject(
          r.kind(), r.name(), NativeObject.Format.YAML, YAML.writeValueAsString(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + r.kind() + " " + r.name(), e);
    }
  }
}
