package io.convergence.internal.runtime;

import io.convergence.spec.ContainerSpec;
import io.convergence.spec.EnvValue;
import io.convergence.spec.Ref;
import io.convergence.spec.SecretValue;
import io.convergence.spec.VmSpec;
import io.convergence.spec.WorkloadSpec;
import io.convergence.spi.WorkloadDetails;
import java.util.Map;

/** Replaces {@link Ref} placeholders in a workload's spec with the addresses of ready workloads. */
final class RefResolver {

  private final Map<String, WorkloadDetails> ready;

  RefResolver(Map<String, WorkloadDetails> ready) {
    this.ready = ready;
  }

  WorkloadSpec resolve(WorkloadSpec spec) {
    if (spec instanceof VmSpec vm) {
      VmSpec.Builder b = vm.toBuilder();
      vm.cloudInit().ifPresent(s -> b.cloudInit(resolve(s)));
      vm.sysprep().ifPresent(s -> b.sysprep(resolve(s)));
      return b.build();
    }
    ContainerSpec c = (ContainerSpec) spec;
    ContainerSpec.Builder b = c.toBuilder();
    c.env()
        .forEach(
            (name, value) -> {
              if (value instanceof EnvValue.Plain p) {
                b.env(name, text(p.value()));
              } else if (value instanceof EnvValue.Secret s) {
                b.secretEnv(name, resolve(s.value()));
              }
            });
    b.command(c.command().stream().map(this::text).toArray(String[]::new));
    b.args(c.args().stream().map(this::text).toArray(String[]::new));
    return b.build();
  }

  private SecretValue resolve(SecretValue secret) {
    if (secret.source() != SecretValue.Source.LITERAL || !Ref.mentionsRefs(secret.reference())) {
      return secret;
    }
    return secret.map(this::text);
  }

  String text(String text) {
    if (!Ref.mentionsRefs(text)) {
      return text;
    }
    return Ref.resolve(text, this::value);
  }

  private String value(Ref ref) {
    WorkloadDetails details = ready.get(ref.workload());
    if (details == null || details.host() == null) {
      throw new IllegalStateException(
          ref.expression() + " cannot be resolved: " + ref.workload() + " has no address");
    }
    int port =
        ref.attribute() == Ref.Attribute.HOST
            ? 0
            : details.ports().getOrDefault(ref.port(), ref.port());
    switch (ref.attribute()) {
      case HOST:
        return details.host();
      case PORT:
        return Integer.toString(port);
      default:
        String host = details.host().contains(":") ? "[" + details.host() + "]" : details.host();
        return host + ":" + port;
    }
  }
}
