package io.convergence.spec;

import static io.convergence.spec.Ref.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.convergence.InvalidLabSpecException;
import io.convergence.config.ConvergenceConfig;
import io.convergence.internal.runtime.LabRuntime;
import io.convergence.spi.Backend;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of invalid spec the validator knows, each rejected with the field path and a message
 * saying what would be valid, through the runtime, with no call to the backend at all.
 */
class InvalidSpecCatalogueTest {

  private static final java.util.concurrent.ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor();
  private static final java.util.concurrent.ExecutorService WORKERS =
      Executors.newFixedThreadPool(2);

  @AfterAll
  static void stop() {
    SCHEDULER.shutdownNow();
    WORKERS.shutdownNow();
  }

  private static LabSpec.Builder valid() {
    return LabSpec.builder("wafer-analysis")
        .sharedVolume(SharedVolume.named("results").withSize("20Gi"))
        .vm(
            "tester",
            VmSpec.builder()
                .image("win2019-tester")
                .guestOs(GuestOs.WINDOWS)
                .cpus(4)
                .memory("8Gi")
                .mount("results", "R:")
                .expose(5985)
                .probe(Probe.winRm())
                .build())
        .container(
            "analysis",
            ContainerSpec.builder()
                .image("python:3.12-slim")
                .env("TESTER_HOST", ref("tester").host())
                .mount("results", "/data")
                .expose(8000)
                .build());
  }

  /** The valid lab with the workload {@code name} replaced by what {@code change} makes of it. */
  private static LabSpec vm(UnaryOperator<VmSpec.Builder> change) {
    VmSpec tester = (VmSpec) valid().build().workload("tester").orElseThrow();
    return valid()
        .withoutWorkload("analysis")
        .withoutWorkload("tester")
        .vm("tester", change.apply(tester.toBuilder()).build())
        .build();
  }

  private static LabSpec container(UnaryOperator<ContainerSpec.Builder> change) {
    ContainerSpec analysis = (ContainerSpec) valid().build().workload("analysis").orElseThrow();
    return valid()
        .withoutWorkload("analysis")
        .container("analysis", change.apply(analysis.toBuilder()).build())
        .build();
  }

  private static Arguments invalid(String description, LabSpec spec, String path, String message) {
    return Arguments.of(description, spec, path, message);
  }

  static Stream<Arguments> catalogue() {
    return Stream.of(
        invalid(
            "lab name with capitals and underscore",
            renamed("Wafer_Analysis"),
            "name",
            "is not a DNS label"),
        invalid("lab name too long", renamed("a".repeat(31)), "name", "use at most 30"),
        invalid(
            "no workloads", LabSpec.builder("empty").build(), "workloads", "at least one workload"),
        invalid("ttl of zero", valid().ttl(Duration.ZERO).build(), "ttl", "out of range"),
        invalid(
            "ttl of a month", valid().ttl(Duration.ofDays(30)).build(), "ttl", "between 1m and 7d"),
        invalid(
            "lab label with the reserved prefix",
            valid().label("convergence.io/lab-id", "x").build(),
            "labels[convergence.io/lab-id]",
            "reserved"),
        invalid(
            "label value with spaces",
            valid().label("team", "wafer team").build(),
            "labels[team]",
            "is not a label value"),
        invalid(
            "duplicate workload name",
            valid().container("tester", ContainerSpec.builder().image("busybox").build()).build(),
            "workloads[tester]",
            "duplicate workload name"),
        invalid(
            "workload name not a DNS label",
            valid()
                .container("Analysis_2", ContainerSpec.builder().image("busybox").build())
                .build(),
            "workloads[Analysis_2]",
            "not a DNS label"),
        invalid(
            "duplicate shared volume",
            valid().sharedVolume(SharedVolume.named("results")).build(),
            "sharedVolumes[results]",
            "duplicate shared volume"),
        invalid(
            "volume size not a quantity",
            valid().sharedVolume(SharedVolume.named("logs").withSize("lots")).build(),
            "sharedVolumes[logs].size",
            "\"lots\" is not a quantity"),
        invalid(
            "memory 8GB",
            vm(b -> b.memory("8GB")),
            "workloads[tester].vm.memory",
            "\"8GB\" is not a quantity; use e.g. 8Gi"),
        invalid(
            "Windows guest with 1Gi",
            vm(b -> b.memory("1Gi")),
            "workloads[tester].vm.memory",
            "at least 2Gi for Windows"),
        invalid("zero CPUs", vm(b -> b.cpus(0)), "workloads[tester].vm.cpus", "use 1 to 128"),
        invalid(
            "VM without image",
            LabSpec.builder("noimage").vm("v", VmSpec.builder().build()).build(),
            "workloads[v].vm.image",
            "needs an image"),
        invalid(
            "image URL with ftp",
            vm(b -> b.image(VmImage.url("ftp://host/disk.qcow2"))),
            "workloads[tester].vm.image",
            "not an http(s) URL"),
        invalid(
            "Windows VM with cloud-init",
            vm(b -> b.cloudInit("#cloud-config\n")),
            "workloads[tester].vm.cloudInit",
            "customised with sysprep"),
        invalid(
            "Linux VM with sysprep",
            vm(
                b ->
                    b.guestOs(GuestOs.LINUX)
                        .mount(new Mount("results", "/r", false))
                        .sysprep("<unattend/>")),
            "workloads[tester].vm.sysprep",
            "customised with cloud-init"),
        invalid(
            "cloud-init without header",
            LabSpec.builder("ci")
                .vm("v", VmSpec.builder().image("fedora").cloudInit("packages: [git]").build())
                .build(),
            "workloads[v].vm.cloudInit",
            "start it with #cloud-config"),
        invalid(
            "sysprep that is not an answer file",
            vm(b -> b.sysprep("hello")),
            "workloads[tester].vm.sysprep",
            "XML <unattend>"),
        invalid(
            "Windows computer name too long",
            LabSpec.builder("win")
                .vm(
                    "windows-tester-01",
                    VmSpec.builder().image("w").guestOs(GuestOs.WINDOWS).memory("4Gi").build())
                .build(),
            "workloads[windows-tester-01]",
            "at most 15 characters"),
        invalid(
            "duplicate disk",
            vm(b -> b.disk("scratch", "10Gi").disk("scratch", "20Gi")),
            "workloads[tester].vm.disks[scratch]",
            "duplicate disk name"),
        invalid(
            "mount of an undeclared volume",
            container(b -> b.mount("scratch", "/scratch")),
            "workloads[analysis].container.mounts[scratch]",
            "no shared volume named \"scratch\""),
        invalid(
            "volume mounted twice",
            container(b -> b.mountReadOnly("results", "/other")),
            "workloads[analysis].container.mounts[results]",
            "mounted twice"),
        invalid(
            "Linux mount path relative",
            LabSpec.builder("rel")
                .sharedVolume(SharedVolume.named("results"))
                .container(
                    "c", ContainerSpec.builder().image("busybox").mount("results", "data").build())
                .build(),
            "workloads[c].container.mounts[results].path",
            "use an absolute path"),
        invalid(
            "Windows mount path not a drive",
            LabSpec.builder("winmount")
                .sharedVolume(SharedVolume.named("results"))
                .vm(
                    "w",
                    VmSpec.builder()
                        .image("win")
                        .guestOs(GuestOs.WINDOWS)
                        .memory("4Gi")
                        .mount("results", "/mnt/results")
                        .build())
                .build(),
            "workloads[w].vm.mounts[results].path",
            "not a Windows mount point"),
        invalid(
            "port out of range",
            container(b -> b.expose(70000)),
            "workloads[analysis].container.ports[70000]",
            "use 1 to 65535"),
        invalid(
            "port exposed twice",
            container(b -> b.expose(8000)),
            "workloads[analysis].container.ports[8000]",
            "exposed twice"),
        invalid(
            "container image with spaces",
            container(b -> b.image("python 3.12")),
            "workloads[analysis].container.image",
            "not an OCI image reference"),
        invalid(
            "env name with a dash",
            container(b -> b.env("TESTER-HOST", "x")),
            "workloads[analysis].container.env[TESTER-HOST]",
            "is not a variable name"),
        invalid(
            "cpu not a quantity",
            container(b -> b.resources("2 cores", "1Gi")),
            "workloads[analysis].container.resources.cpu",
            "not a CPU quantity"),
        invalid(
            "reference to an unknown workload",
            container(b -> b.env("DB", ref("database").host())),
            "workloads[analysis].container.env[DB]",
            "refers to no workload"),
        invalid(
            "reference to a port not exposed",
            container(b -> b.env("RDP", ref("tester").port(3389))),
            "workloads[analysis].container.env[RDP]",
            "which it does not expose; it exposes 5985"),
        invalid(
            "malformed reference",
            container(b -> b.env("X", "${ref:tester}")),
            "workloads[analysis].container.env[X]",
            "is not a reference"),
        invalid(
            "dependsOn an unknown workload",
            container(b -> b.dependsOn("database")),
            "workloads[analysis].container.dependsOn[database]",
            "no workload named \"database\""),
        invalid(
            "workload depends on itself",
            container(b -> b.dependsOn("analysis")),
            "workloads[analysis].container.dependsOn[analysis]",
            "cannot depend on itself"),
        invalid(
            "dependency cycle",
            valid()
                .withoutWorkload("tester")
                .withoutWorkload("analysis")
                .container("a", ContainerSpec.builder().image("busybox").dependsOn("b").build())
                .container(
                    "b", ContainerSpec.builder().image("busybox").env("A", ref("a").host()).build())
                .build(),
            "workloads[a]",
            "dependency cycle a -> b -> a"),
        invalid(
            "exec probe on a VM",
            vm(b -> b.probe(Probe.exec("true"))),
            "workloads[tester].vm.readiness.probes[1]",
            "needs a container"),
        invalid(
            "winrm probe on a container",
            container(b -> b.probe(Probe.winRm())),
            "workloads[analysis].container.readiness.probes[0]",
            "is for VMs"),
        invalid(
            "guest agent probe without an agent",
            vm(b -> b.probe(Probe.guestAgent())),
            "workloads[tester].vm.readiness.probes[1]",
            "needs guestAgent: true"),
        invalid(
            "winrm probe on a Linux guest",
            LabSpec.builder("lin")
                .vm("v", VmSpec.builder().image("fedora").probe(Probe.winRm()).build())
                .build(),
            "workloads[v].vm.readiness.probes[0]",
            "needs a Windows guest"),
        invalid(
            "http probe path without slash",
            container(b -> b.probe(Probe.http(8000, "health"))),
            "workloads[analysis].container.readiness.probes[0].path",
            "start it with /"),
        invalid(
            "log-line probe with a broken regex",
            container(b -> b.probe(Probe.logLine("ready ("))),
            "workloads[analysis].container.readiness.probes[0].regex",
            "not a regular expression"),
        invalid(
            "negative stage timeout",
            container(b -> b.timeout(Stage.RUNNING, Duration.ofSeconds(-5))),
            "workloads[analysis].container.readiness.timeouts.running",
            "out of range"),
        invalid(
            "options of one backend twice",
            container(b -> b.options(new TestOptions()).options(new TestOptions())),
            "workloads[analysis].container.options[test]",
            "given twice"),
        invalid(
            "port name too long",
            container(b -> b.expose(PortSpec.tcp(9000, "metrics-endpoint-x"))),
            "workloads[analysis].container.ports[9000].name",
            "not a port name"));
  }

  private static LabSpec renamed(String name) {
    LabSpec.Builder b = LabSpec.builder(name);
    valid().build().workloads().forEach(w -> b.workload(w.name(), w.spec()));
    valid().build().sharedVolumes().forEach(b::sharedVolume);
    return b.build();
  }

  /** Options of a backend that is not there. */
  record TestOptions() implements BackendOptions {
    @Override
    public String backendId() {
      return "test";
    }
  }

  @Test
  @DisplayName("the base lab of the catalogue is valid, so each case fails for its own reason")
  void baseIsValid() {
    assertThat(valid().build().validate()).isEmpty();
  }

  @Test
  @DisplayName("the catalogue holds at least 25 distinct invalid specs")
  void catalogueSize() {
    assertThat(catalogue().map(a -> a.get()[2] + " " + a.get()[3]).distinct().count())
        .isGreaterThanOrEqualTo(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  @DisplayName("rejected with the field path, before any backend call")
  void rejected(String description, LabSpec spec, String path, String message) {
    Backend backend = mock(Backend.class);
    LabRuntime runtime =
        new LabRuntime(
            backend,
            ConvergenceConfig.load(Map.of(), new Properties(), Map.of(), null),
            Clock.systemUTC(),
            WORKERS,
            SCHEDULER,
            List.of(),
            "run",
            "owner",
            name -> null);

    InvalidLabSpecException e =
        catchThrowableOfType(
            InvalidLabSpecException.class,
            () -> runtime.start(spec, io.convergence.StartOptions.DEFAULTS));

    assertThat(e).as("exception for %s", description).isNotNull();
    assertThat(e.problems())
        .as("problems of %s", description)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.message()).contains(message);
            });
    assertThat(e.getMessage()).contains(path);
    verifyNoInteractions(backend);
  }

  @Test
  @DisplayName("all problems of a spec are reported at once")
  void allProblemsAtOnce() {
    LabSpec spec =
        LabSpec.builder("Bad_Lab")
            .vm("v", VmSpec.builder().memory("8GB").cpus(0).build())
            .container("c", ContainerSpec.builder().mount("nope", "/x").build())
            .build();

    assertThat(spec.validate())
        .extracting(SpecProblem::path)
        .contains(
            "name",
            "workloads[v].vm.image",
            "workloads[v].vm.memory",
            "workloads[v].vm.cpus",
            "workloads[c].container.image",
            "workloads[c].container.mounts[nope]");
  }
}
