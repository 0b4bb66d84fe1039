package io.convergence.codec;

import static io.convergence.spec.Ref.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.convergence.InvalidLabSpecException;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.EnvValue;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.Stage;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LabSpecCodecTest {

  private final LabSpecCodec codec = LabSpecCodec.create();

  private static String resource(String name) throws IOException {
    try (var in = Objects.requireNonNull(LabSpecCodecTest.class.getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  @DisplayName("a document using every field reads into the model and writes back to the same text")
  void everyFieldRoundTrips() throws IOException {
    String document = resource("/labs/every-field.yaml");

    LabSpec spec = codec.readYaml(document);

    assertThat(spec.validate()).isEmpty();
    assertThat(codec.writeYaml(spec)).isEqualTo(document);
    assertThat(codec.readYaml(codec.writeYaml(spec))).isEqualTo(spec);
    assertThat(codec.readJson(codec.writeJson(spec))).isEqualTo(spec);
  }

  @Test
  @DisplayName("the document's values land in the right fields")
  void fieldsAreRead() throws IOException {
    LabSpec spec = codec.readYaml(resource("/labs/every-field.yaml"));

    assertThat(spec.ttl()).isEqualTo(Duration.ofMinutes(210));
    assertThat(spec.labels()).containsEntry("example.com/cost-center", "4711");
    assertThat(spec.sharedVolumes())
        .containsExactly(new SharedVolume("results", "20Gi"), SharedVolume.named("scratch"));
    VmSpec tester = (VmSpec) spec.workload("tester").orElseThrow();
    assertThat(tester.guestOs()).isEqualTo(GuestOs.WINDOWS);
    assertThat(tester.sysprep())
        .contains(SecretValue.from(SecretValue.Source.FILE, "config/unattend.xml"));
    assertThat(tester.readiness().probes()).containsExactly(Probe.winRm(), Probe.guestAgent());
    assertThat(tester.readiness().timeout(Stage.GUEST)).isEqualTo(Duration.ofMinutes(30));
    assertThat(tester.port(3389).orElseThrow().name()).isEqualTo("rdp");
    VmSpec linux = (VmSpec) spec.workload("linux").orElseThrow();
    assertThat(linux.image()).contains(VmImage.url("https://images.example.com/fedora-41.qcow2"));
    assertThat(linux.prerequisites()).containsExactly("tester");
    ContainerSpec analysis = (ContainerSpec) spec.workload("analysis").orElseThrow();
    assertThat(analysis.env().get("API_TOKEN"))
        .isEqualTo(EnvValue.secret(SecretValue.fromEnv("API_TOKEN")));
    assertThat(analysis.env().get("WSMAN"))
        .isEqualTo(EnvValue.plain("http://" + ref("tester").address(5985) + "/wsman"));
    assertThat(analysis.options(TestOptionsFormat.TestOptions.class))
        .contains(new TestOptionsFormat.TestOptions("fast"));
    assertThat(analysis.readiness().probes()).hasSize(3);
  }

  @Test
  @DisplayName("a spec built in code writes to YAML and reads back equal")
  void codeRoundTrip() {
    LabSpec spec =
        LabSpec.builder("wafer-analysis")
            .sharedVolume(SharedVolume.named("results").withSize("20Gi"))
            .vm(
                "tester",
                VmSpec.builder()
                    .image("win2019")
                    .guestOs(GuestOs.WINDOWS)
                    .cpus(4)
                    .memory("8Gi")
                    .sysprep("<unattend>pw</unattend>")
                    .mount("results", "R:")
                    .expose(5985)
                    .build())
            .container(
                "analysis",
                ContainerSpec.builder()
                    .image("python:3.12-slim")
                    .env("TESTER_HOST", ref("tester").host())
                    .secretEnv("T", SecretValue.of("x"))
                    .mountReadOnly("results", "/data")
                    .build())
            .ttl(Duration.ofMinutes(45))
            .build();

    assertThat(codec.readYaml(codec.writeYaml(spec))).isEqualTo(spec);
    assertThat(codec.writeYaml(spec, true)).doesNotContain("<unattend>pw").contains("<redacted>");
  }

  @Test
  @DisplayName("unknown fields are errors with their path and a suggestion")
  void unknownFields() {
    String doc =
        "name: lab\n"
            + "workloads:\n"
            + "  tester:\n"
            + "    vm:\n"
            + "      image: win\n"
            + "      memroy: 8Gi\n"
            + "      readiness:\n"
            + "        probes:\n"
            + "        - tcp: {port: 22, host: x}\n"
            + "  other:\n"
            + "    containr: {image: busybox}\n"
            + "colour: blue\n";

    InvalidLabSpecException e =
        catchThrowableOfType(InvalidLabSpecException.class, () -> codec.readYaml(doc));

    assertThat(e.problems())
        .extracting(SpecProblem::toString)
        .anyMatch(
            p ->
                p.startsWith(
                    "workloads[tester].vm.memroy: unknown field 'memroy' (did you mean 'memory'?)"))
        .anyMatch(
            p ->
                p.startsWith(
                    "workloads[tester].vm.readiness.probes[0].tcp.host: unknown field 'host'"))
        .anyMatch(
            p ->
                p.startsWith(
                    "workloads[other].containr: unknown field 'containr' (did you mean 'container'?)"))
        .anyMatch(p -> p.startsWith("colour: unknown field 'colour'"));
  }

  @Test
  @DisplayName("wrong types, bad durations, bad enums and missing parts are reported with paths")
  void badValues() {
    String doc =
        "name: lab\n"
            + "ttl: two hours\n"
            + "workloads:\n"
            + "  v:\n"
            + "    vm: {image: w, guestOs: solaris, cpus: many, ports: [ssh], guestAgent: maybe}\n"
            + "  c:\n"
            + "    container: {image: busybox, env: {A: {secret: {env: X, file: y}}}, mounts: {data: {readOnly: true}}}\n"
            + "  both:\n"
            + "    vm: {image: w}\n"
            + "    container: {image: busybox}\n";

    InvalidLabSpecException e =
        catchThrowableOfType(InvalidLabSpecException.class, () -> codec.readYaml(doc));

    assertThat(e.problems())
        .extracting(SpecProblem::path)
        .contains(
            "ttl",
            "workloads[v].vm.guestOs",
            "workloads[v].vm.cpus",
            "workloads[v].vm.ports[0]",
            "workloads[v].vm.guestAgent",
            "workloads[c].container.env[A].secret",
            "workloads[c].container.mounts[data].path",
            "workloads[both]");
    assertThat(e.getMessage()).contains("\"solaris\" is not valid; use one of linux, windows");
  }

  @Test
  @DisplayName("duplicate keys and syntax errors say where")
  void syntax() {
    InvalidLabSpecException dup =
        catchThrowableOfType(
            InvalidLabSpecException.class,
            () ->
                codec.readYaml(
                    "name: a\nworkloads:\n  x: {container: {image: a}}\n  x: {container: {image: b}}\n"));
    assertThat(dup.getMessage()).contains("Duplicate field 'x'").contains("line");

    InvalidLabSpecException broken =
        catchThrowableOfType(
            InvalidLabSpecException.class, () -> codec.readYaml("name: [unclosed\n"));
    assertThat(broken.getMessage()).contains("not a valid document");
  }

  @Test
  @DisplayName("options of a backend that is not on the classpath are reported, not dropped")
  void unknownBackendOptions() {
    String doc =
        "name: a\nworkloads:\n  c:\n    container: {image: busybox, options: {vsphere: {folder: x}}}\n";

    InvalidLabSpecException e =
        catchThrowableOfType(InvalidLabSpecException.class, () -> codec.readYaml(doc));

    assertThat(e.problems())
        .extracting(SpecProblem::path)
        .containsExactly("workloads[c].container.options[vsphere]");
    assertThat(e.getMessage()).contains("convergence-vsphere");
  }

  @Test
  @DisplayName("the spec hash is stable, changes with the spec, and counts secret sources by name")
  void specHash() throws IOException {
    LabSpec spec = codec.readYaml(resource("/labs/every-field.yaml"));
    LabSpec changed = spec.toBuilder().ttl(Duration.ofHours(1)).build();

    assertThat(codec.specHash(spec))
        .hasSize(16)
        .isEqualTo(codec.specHash(codec.readYaml(codec.writeYaml(spec))));
    assertThat(codec.specHash(changed)).isNotEqualTo(codec.specHash(spec));
  }

  @Test
  @DisplayName("a YAML file reads like a YAML string")
  void readsFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path file = dir.resolve("lab.yaml");
    Files.writeString(file, resource("/labs/every-field.yaml"));

    assertThat(codec.readYaml(file)).isEqualTo(codec.readYaml(resource("/labs/every-field.yaml")));
  }
}
