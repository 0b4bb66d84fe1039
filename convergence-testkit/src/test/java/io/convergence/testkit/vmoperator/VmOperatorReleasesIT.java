package io.convergence.testkit.vmoperator;

import static io.convergence.testkit.vmoperator.VmOpObjects.cloudInitSecret;
import static io.convergence.testkit.vmoperator.VmOpObjects.isTrue;
import static io.convergence.testkit.vmoperator.VmOpObjects.linuxVm;
import static io.convergence.testkit.vmoperator.VmOpObjects.parse;
import static io.convergence.testkit.vmoperator.VmOpObjects.snapshot;
import static io.convergence.testkit.vmoperator.VmOpObjects.snapshots;
import static io.convergence.testkit.vmoperator.VmOpObjects.status;
import static io.convergence.testkit.vmoperator.VmOpObjects.vmServices;
import static io.convergence.testkit.vmoperator.VmOpObjects.vms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convergence.testkit.kubernetes.KubeApiServer;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator on a real kube-apiserver serving what an older VCF release serves: the real CRDs
 * cut down to the release's versions, its newest one as storage version (the test server has no
 * conversion webhook, so newer versions would be converted without renaming fields). What the
 * simulator writes at {@code v1alpha3} and {@code v1alpha5} must be kept whole.
 */
class VmOperatorReleasesIT {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The real CRDs with only the release's versions, written into {@code dir}. */
  private static Path releaseCrds(Path dir, VcfRelease release) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(VmOpObjects.crdDir())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        ObjectNode crd = (ObjectNode) YAML.readTree(f.toFile());
        boolean snapshot =
            "VirtualMachineSnapshot".equals(crd.path("spec").path("names").path("kind").asText());
        List<String> keep = snapshot ? release.snapshotVersions() : release.servedVersions();
        if (keep.isEmpty()) {
          continue;
        }
        ArrayNode versions = YAML.createArrayNode();
        for (JsonNode v : crd.path("spec").path("versions")) {
          String name = v.path("name").asText();
          if (keep.contains(name)) {
            ((ObjectNode) v).put("storage", name.equals(keep.get(keep.size() - 1)));
            versions.add(v);
          }
        }
        ((ObjectNode) crd.path("spec")).set("versions", versions);
        YAML.writeValue(dir.resolve(f.getFileName()).toFile(), crd);
      }
    }
    return dir;
  }

  @ParameterizedTest
  @EnumSource(
      value = VcfRelease.class,
      names = {"VCF_9_0", "VCF_9_1"})
  @DisplayName(
      "an older release's version: VM ready, VM Service, snapshots where served, nothing pruned")
  void release(VcfRelease release, @TempDir Path dir) throws IOException {
    Path crds = releaseCrds(dir.resolve("crds"), release);
    try (KubeApiServer api = KubeApiServer.start(dir.resolve("state"), crds).orSkip();
        VmOperatorSimulator sim =
            VmOperatorSimulator.builder()
                .latency(Duration.ofMillis(15))
                .emptyMessages(" ") // the test server refuses empty strings (kubernetes#99804)
                .start(api.config(null))) {
      String version = sim.controller().version();
      assertThat(version).isEqualTo(release.newestVersion());
      KubernetesClient client = api.newClient("convergence/it");
      try (SchemaWatch watch =
          new SchemaWatch(client, version, sim.controller().snapshotsServed())) {
        String ns = "rel-" + version;
        api.createNamespace(ns);
        sim.seedNamespace(ns);
        client.secrets().inNamespace(ns).resource(cloudInitSecret(ns, "vm")).create();
        vms(client, version, ns)
            .resource(
                parse(client, linuxVm(version, ns, "vm", "best-effort-small", "ubuntu-22.04")))
            .create();
        vmServices(client, version, ns)
            .resource(parse(client, VmOpObjects.vmService(version, ns, "svc", "LoadBalancer")))
            .create();
        GenericKubernetesResource vm =
            vms(client, version, ns)
                .withName("vm")
                .waitUntilCondition(v -> v != null && isTrue(v, "Ready"), 60, TimeUnit.SECONDS);
        assertThat(status(vm)).containsKey(version.equals("v1alpha3") ? "host" : "nodeName");
        client
            .endpoints()
            .inNamespace(ns)
            .withName("svc")
            .waitUntilCondition(e -> e != null && e.getSubsets().size() == 1, 60, TimeUnit.SECONDS);
        if (sim.controller().snapshotsServed()) {
          snapshots(client, version, ns)
              .resource(parse(client, snapshot(version, ns, "snap", "vm", true)))
              .create();
          snapshots(client, version, ns)
              .withName("snap")
              .waitUntilCondition(
                  s -> s != null && isTrue(s, "VirtualMachineSnapshotReady"), 60, TimeUnit.SECONDS);
        }
        client.namespaces().withName(ns).delete();
        client.namespaces().withName(ns).waitUntilCondition(n -> n == null, 180, TimeUnit.SECONDS);
        assertThat(Gkr.prunedFields()).as("fields the real server pruned").isEmpty();
        assertThat(watch.problems()).as("fields the real CRD schemas reject or prune").isEmpty();
      }
    }
  }
}
