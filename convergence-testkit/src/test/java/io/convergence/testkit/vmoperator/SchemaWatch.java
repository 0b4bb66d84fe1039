package io.convergence.testkit.vmoperator;

import io.convergence.testkit.schema.CrdSchemas;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Checks every state of every vm-operator object a watch delivers (each write the simulator or the
 * test makes) against the real CRD schemas in {@code shared/data/vm-operator-crds}: a field the
 * real API server would reject or prune is recorded as a problem.
 */
final class SchemaWatch implements AutoCloseable {

  private static volatile CrdSchemas schemas;

  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<String> kindsSeen = new CopyOnWriteArrayList<>();

  static CrdSchemas schemas() {
    CrdSchemas s = schemas;
    if (s == null) {
      synchronized (SchemaWatch.class) {
        s = schemas;
        if (s == null) {
          s = CrdSchemas.load(VmOpObjects.crdDir());
          schemas = s;
        }
      }
    }
    return s;
  }

  SchemaWatch(KubernetesClient client, String version, boolean snapshots) {
    schemas();
    List<ResourceDefinitionContext> contexts =
        new ArrayList<>(
            List.of(
                VmOperatorResources.virtualMachines(version),
                VmOperatorResources.virtualMachineClasses(version),
                VmOperatorResources.virtualMachineImages(version),
                VmOperatorResources.virtualMachineServices(version)));
    if (snapshots) {
      contexts.add(VmOperatorResources.virtualMachineSnapshots(version));
    }
    for (ResourceDefinitionContext ctx : contexts) {
      informers.add(client.genericKubernetesResources(ctx).inAnyNamespace().inform(handler(), 0));
    }
    informers.add(
        client
            .genericKubernetesResources(VmOperatorResources.clusterVirtualMachineImages(version))
            .inform(handler(), 0));
  }

  private ResourceEventHandler<GenericKubernetesResource> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        check(obj);
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
        check(newObj);
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean unknown) {}
    };
  }

  private void check(GenericKubernetesResource o) {
    String what =
        o.getKind()
            + " "
            + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
            + o.getMetadata().getName();
    if (!kindsSeen.contains(o.getApiVersion() + " " + o.getKind())) {
      kindsSeen.add(o.getApiVersion() + " " + o.getKind());
    }
    Object checked = o;
    if (o.getAdditionalProperties().containsKey("status")
        && o.getAdditionalProperties().get("status") == null) {
      // The mock echoes a created object with "status": null (its status subresource drops the
      // status of a create); a real server has no status field then. Not written by anyone.
      GenericKubernetesResource copy = new GenericKubernetesResource();
      copy.setApiVersion(o.getApiVersion());
      copy.setKind(o.getKind());
      copy.setMetadata(o.getMetadata());
      o.getAdditionalProperties()
          .forEach(
              (k, v) -> {
                if (!k.equals("status")) {
                  copy.setAdditionalProperty(k, v);
                }
              });
      checked = copy;
    }
    for (String p : schemas().check(checked)) {
      problems.add(what + " (" + o.getApiVersion() + "): " + p);
    }
  }

  /** The problems found so far. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  /** The {@code apiVersion kind} pairs checked at least once. */
  List<String> kindsSeen() {
    return List.copyOf(kindsSeen);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
  }
}
