package io.convergence.vsphere.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.convergence.Convergence;
import io.convergence.ConvergenceTimeoutException;
import io.convergence.InvalidLabSpecException;
import io.convergence.ProvisioningException;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.PlatformObject;
import io.convergence.testkit.vmoperator.EmbeddedVmOperator;
import io.convergence.testkit.vmoperator.VcfRelease;
import io.convergence.testkit.vmoperator.VmOperatorFaults;
import io.convergence.testkit.vmoperator.VmOperatorSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a lab with a failing VM reports, and that it leaves nothing behind. */
class SupervisorFailurePathsTest {

  private static EmbeddedVmOperator supervisor;
  private static SupervisorContractTarget target;
  private Convergence client;

  @BeforeAll
  static void start() {
    supervisor =
        EmbeddedVmOperator.start(
            VcfRelease.UPSTREAM_MAIN,
            VmOperatorSimulator.builder()
                .latency(Duration.ofMillis(15))
                .namespaces(SupervisorContractTarget.NAMESPACE));
    target = new SupervisorContractTarget(supervisor, Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() {
    supervisor.close();
  }

  @AfterEach
  void clear() {
    supervisor.faults().clear();
    supervisor.kubernetes().clearFaults();
    if (client != null) {
      client.close();
    }
  }

  private Convergence client() {
    client = target.connect(Clock.systemUTC());
    return client;
  }

  private List<PlatformObject> objectsOf(String labId) {
    return target.objects().stream().filter(o -> o.labId().equals(labId)).toList();
  }

  private static VmSpec.Builder vm() {
    return VmSpec.builder().image("ubuntu-22.04");
  }

  @Test
  @DisplayName("a missing image is a plan error listing the images, and nothing is created")
  void missingImage() {
    long before = target.objects().size();
    LabSpec spec = LabSpec.builder("noimage").vm("v", vm().image("fedora-41").build()).build();

    InvalidLabSpecException e =
        catchThrowableOfType(InvalidLabSpecException.class, () -> client().start(spec));

    assertThat(e).isNotNull();
    assertThat(e.problems()).extracting(p -> p.path()).containsExactly("workloads[v].vm.image");
    assertThat(e.getMessage()).contains("fedora-41", "ubuntu-22.04", "windows-2022", "photon-5");
    assertThat(target.objects()).as("objects after the refused start").hasSize((int) before);
  }

  @Test
  @DisplayName("no class large enough is a plan error listing the classes")
  void noClass() {
    LabSpec spec = LabSpec.builder("noclass").vm("v", vm().cpus(16).memory("64Gi").build()).build();

    InvalidLabSpecException e =
        catchThrowableOfType(InvalidLabSpecException.class, () -> client().plan(spec));

    assertThat(e).isNotNull();
    assertThat(e.problems()).extracting(p -> p.path()).containsExactly("workloads[v].vm.cpus");
    assertThat(e.getMessage())
        .contains("16 vCPU", "best-effort-xsmall", "best-effort-large", "SupervisorOptions");
  }

  @Test
  @DisplayName("a class named in the options is used, and the plan names the API version")
  void explicitClass() {
    LabSpec spec =
        LabSpec.builder("named")
            .vm(
                "v",
                vm().options(SupervisorOptions.builder().className("best-effort-large").build())
                    .build())
            .build();

    String plan = client().plan(spec).render();

    assertThat(plan)
        .contains(
            "className: \"best-effort-large\"", "apiVersion: \"vmoperator.vmware.com/v1alpha6\"")
        .contains("vm-operator API vmoperator.vmware.com/v1alpha6");
  }

  @Test
  @DisplayName("failed guest customization fails the VM at guest with the reason, and rolls back")
  void customizationFails() {
    VmOperatorFaults.customizationFails(
        supervisor.faults(), "v", VmOperatorFaults.CUSTOMIZATION_FAILED_MESSAGE);
    LabSpec spec =
        LabSpec.builder("custfail")
            .vm("v", vm().guestAgent(true).cloudInit("#cloud-config\n").build())
            .build();

    ProvisioningException e =
        catchThrowableOfType(ProvisioningException.class, () -> client().start(spec));

    assertThat(e).isNotNull().isNotInstanceOf(ConvergenceTimeoutException.class);
    assertThat(e.failures().get("v").stage()).isEqualTo(Stage.GUEST);
    assertThat(e.failures().get("v").reason()).isEqualTo("GuestCustomizationFailed");
    assertThat(e.getMessage()).contains("GuestCustomization");
    assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
  }

  @Test
  @DisplayName("a VM that never gets an IP times out at network, and rolls back")
  void neverGetsIp() {
    VmOperatorFaults.neverGetsIp(supervisor.faults(), "v");
    LabSpec spec =
        LabSpec.builder("noip")
            .vm("v", vm().timeout(Stage.NETWORK, Duration.ofSeconds(1)).build())
            .build();

    ConvergenceTimeoutException e =
        catchThrowableOfType(ConvergenceTimeoutException.class, () -> client().start(spec));

    assertThat(e).isNotNull();
    assertThat(e.notReady()).containsEntry("v", Stage.NETWORK);
    assertThat(e.failures().get("v").diagnostics())
        .as("diagnostics name the VM's power state and conditions")
        .anySatisfy(l -> assertThat(l).contains("powerState PoweredOn"))
        .anySatisfy(l -> assertThat(l).contains("condition VirtualMachineCreated=True"));
    assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
  }

  @Test
  @DisplayName("a storage class the namespace lacks fails fast with the condition's reason")
  void storageNotFound() {
    Convergence c =
        Convergence.builder()
            .backend(SupervisorBackendProvider.ID)
            .property("vsphere-supervisor.kubeconfig", supervisor.kubeconfig().toString())
            .property("vsphere-supervisor.namespace", SupervisorContractTarget.NAMESPACE)
            .property("vsphere-supervisor.storage-class", "gold")
            .property("teardown.backoff", "100ms")
            .build();
    client = c;
    LabSpec spec = LabSpec.builder("nostorage").vm("v", vm().build()).build();

    ProvisioningException e =
        catchThrowableOfType(ProvisioningException.class, () -> c.start(spec));

    assertThat(e).isNotNull().isNotInstanceOf(ConvergenceTimeoutException.class);
    assertThat(e.failures().get("v").stage()).isEqualTo(Stage.SCHEDULED);
    assertThat(e.failures().get("v").reason()).isEqualTo("NotFound");
    assertThat(e.getMessage()).contains("VirtualMachineStorageReady", "storage-class");
    assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
  }

  @Test
  @DisplayName("without a namespace setting the client says which setting is missing")
  void namespaceRequired() {
    Throwable t =
        catchThrowableOfType(
            RuntimeException.class,
            () ->
                Convergence.builder()
                    .backend(SupervisorBackendProvider.ID)
                    .property("vsphere-supervisor.kubeconfig", supervisor.kubeconfig().toString())
                    .build());

    assertThat(t).isNotNull();
    assertThat(t.getMessage()).contains("convergence.vsphere-supervisor.namespace");
  }

  @Test
  @DisplayName(
      "a failed power-on times out at running with the vm-operator event in the diagnostics")
  void powerOnFails() {
    VmOperatorFaults.powerOnFails(supervisor.faults(), "v", "insufficient resources on host");
    LabSpec spec =
        LabSpec.builder("nopower")
            .vm("v", vm().timeout(Stage.RUNNING, Duration.ofSeconds(1)).build())
            .build();

    ConvergenceTimeoutException e =
        catchThrowableOfType(ConvergenceTimeoutException.class, () -> client().start(spec));

    assertThat(e).isNotNull();
    assertThat(e.notReady()).containsEntry("v", Stage.RUNNING);
    assertThat(e.failures().get("v").diagnostics())
        .anySatisfy(l -> assertThat(l).contains("event Warning", "insufficient resources on host"));
    assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
  }

  @Test
  @DisplayName("sweep works for a user who may list only the vSphere Namespace")
  void sweepWithinTheNamespace() {
    Convergence c = client();
    LabSpec spec =
        LabSpec.builder("swept")
            .vm("v", vm().build())
            .container(
                "c", io.convergence.spec.ContainerSpec.builder().image("python:3.12-slim").build())
            .build();
    io.convergence.Lab lab =
        c.start(spec, io.convergence.StartOptions.builder().reuse(true).build());
    lab.close(); // a reusable lab stays
    assertThat(objectsOf(lab.id())).isNotEmpty();
    supervisor
        .kubernetes()
        .inject(
            io.convergence.testkit.kubernetes.RequestFault.next(
                    10_000, "GET", "/api/v1/[a-z]+|/apis/[^/]+/[^/]+/[a-z]+")
                .withUserAgent(io.convergence.kubernetes.KubernetesConnection.USER_AGENT)
                .withStatus(403, "Forbidden", "cannot list at the cluster scope"));

    io.convergence.SweepReport report = c.sweep(io.convergence.SweepRequest.lab(lab.id()));

    assertThat(report.labIds()).containsExactly(lab.id());
    supervisor.kubernetes().clearFaults();
    assertThat(objectsOf(lab.id())).as("objects left after the sweep").isEmpty();
  }
}
