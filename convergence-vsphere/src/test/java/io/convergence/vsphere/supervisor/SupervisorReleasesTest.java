package io.convergence.vsphere.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convergence.Convergence;
import io.convergence.Feature;
import io.convergence.plan.NativeObject;
import io.convergence.plan.Plan;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.schema.CrdSchemas;
import io.convergence.testkit.vmoperator.EmbeddedVmOperator;
import io.convergence.testkit.vmoperator.VcfRelease;
import io.convergence.testkit.vmoperator.VmOperatorSimulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The backend against each VCF release's API versions: what it plans and what it claims. */
class SupervisorReleasesTest {

  static final CrdSchemas SCHEMAS =
      CrdSchemas.load(
          Path.of(System.getProperty("convergence.shared.dir", "../../shared"))
              .resolve("data/vm-operator-crds"));
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest
  @EnumSource(VcfRelease.class)
  @DisplayName(
      "plans at the newest served version, and the plan's vm-operator objects pass the CRDs")
  void planPerRelease(VcfRelease release) throws Exception {
    try (EmbeddedVmOperator sv =
            EmbeddedVmOperator.start(
                release,
                VmOperatorSimulator.builder()
                    .latency(Duration.ofMillis(15))
                    .namespaces(SupervisorContractTarget.NAMESPACE));
        Convergence client =
            new SupervisorContractTarget(sv, Duration.ofSeconds(3)).connect(Clock.systemUTC())) {
      LabSpec spec =
          LabSpec.builder("rel")
              .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
              .vm(
                  "tester",
                  VmSpec.builder()
                      .image("ubuntu-24.04")
                      .cloudInit("#cloud-config\n")
                      .disk("data", "5Gi")
                      .mount("results", "/results")
                      .expose(22)
                      .probe(Probe.ssh())
                      .build())
              .build();

      Plan plan = client.plan(spec);

      String version = release.newestVersion();
      assertThat(plan.render()).contains("vm-operator API vmoperator.vmware.com/" + version);
      List<Map<?, ?>> vmOperatorObjects = new ArrayList<>();
      List<String> claims = new ArrayList<>();
      for (var step : plan.steps()) {
        for (NativeObject o : step.objects()) {
          if (o.kind().equals("PersistentVolumeClaim")) {
            claims.add(o.name());
          }
          Map<?, ?> tree = YAML.readValue(o.content(), Map.class);
          if (String.valueOf(tree.get("apiVersion")).startsWith("vmoperator.vmware.com/")) {
            vmOperatorObjects.add(tree);
          }
        }
      }
      assertThat(vmOperatorObjects)
          .extracting(t -> String.valueOf(t.get("kind")))
          .containsExactlyInAnyOrder("VirtualMachine", "VirtualMachineService");
      for (Map<?, ?> tree : vmOperatorObjects) {
        assertThat(tree.get("apiVersion")).isEqualTo("vmoperator.vmware.com/" + version);
        assertThat(SCHEMAS.check(tree)).as("schema problems of %s", tree.get("kind")).isEmpty();
      }
      assertThat(claims)
          .as("claims in the shared namespace carry the lab's suffix")
          .anySatisfy(
              c -> assertThat(c).startsWith("shared-results-").isNotEqualTo("shared-results"))
          .anySatisfy(c -> assertThat(c).startsWith("tester-").contains("-disk-data"));
      assertThat(plan.workloadStep("results-smb"))
          .as("the VM reaches the shared volume through an in-lab Samba server")
          .isPresent();
      assertThat(plan.workloadStep("tester").orElseThrow().after())
          .contains("workload/results-smb");
      assertThat(client.features())
          .contains(Feature.VIRTUAL_MACHINES, Feature.CONTAINERS, Feature.SHARED_VOLUMES);
      assertThat(client.features().contains(Feature.SNAPSHOTS))
          .as("snapshots where VirtualMachineSnapshot (spec.vmName) is served")
          .isEqualTo(!release.snapshotVersions().isEmpty());
    }
  }
}
