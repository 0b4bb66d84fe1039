package io.convergence.testkit.inmemory;

import io.convergence.Convergence;
import io.convergence.spec.Stage;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.PlatformObject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract suite's view of an {@link InMemoryPlatform}.
 *
 * @since 0.1.0
 */
public final class InMemoryContractTarget implements ContractTarget {

  private final InMemoryPlatform platform;

  /**
   * A target over the named platform, with 20ms between stages.
   *
   * @param platformName the platform's name
   */
  public InMemoryContractTarget(String platformName) {
    this.platform = InMemoryPlatform.named(platformName).latency(Duration.ofMillis(20));
  }

  /**
   * The platform.
   *
   * @return the platform
   */
  public InMemoryPlatform platform() {
    return platform;
  }

  @Override
  public Convergence connect(Clock clock) {
    return Convergence.builder()
        .backend(InMemoryBackendProvider.ID)
        .property("inmemory.platform", platform.name())
        .property("teardown.backoff", "50ms")
        .clock(clock)
        .build();
  }

  @Override
  public String linuxImage() {
    return "fedora-cloud-41";
  }

  @Override
  public String windowsImage() {
    return "win2022-tester";
  }

  @Override
  public String containerImage() {
    return "python:3.12-slim";
  }

  @Override
  public List<PlatformObject> objects() {
    return platform.objects().stream()
        .map(o -> new PlatformObject(o.kind(), o.name(), o.labels()))
        .toList();
  }

  @Override
  public long requestCount() {
    return platform.requestCount();
  }

  @Override
  public Map<String, String> containerEnv(String labId, String workload) {
    InMemoryObject container =
        platform.objects(labId).stream()
            .filter(o -> o.kind().equals("Container") && o.name().equals(workload))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no container " + workload + " in lab " + labId));
    Map<String, String> env = new LinkedHashMap<>();
    if (container.spec().get("env") instanceof Map<?, ?> stored) {
      stored.forEach(
          (k, v) -> {
            if (v instanceof Map<?, ?> ref && ref.get("secretRef") instanceof Map<?, ?> secret) {
              env.put(String.valueOf(k), "secret:" + secret.get("name") + "/" + secret.get("key"));
            } else {
              env.put(String.valueOf(k), String.valueOf(v));
            }
          });
    }
    return env;
  }

  @Override
  public void failAt(String workload, Stage stage, String reason) {
    platform.failAt(workload, stage, reason, "injected failure: " + reason);
  }

  @Override
  public void hangAt(String workload, Stage stage) {
    platform.hangAt(workload, stage);
  }

  @Override
  public void failTeardownOnce() {
    platform.failTeardownOnce();
  }

  @Override
  public void clearFaults() {
    platform.clearFaults();
  }

  @Override
  public void createForeignObject(String name) {
    platform.putForeignObject("Container", name, Map.of("app", "not-convergence"));
  }

  @Override
  public Duration typicalReadiness() {
    return Duration.ofMillis(200);
  }
}
