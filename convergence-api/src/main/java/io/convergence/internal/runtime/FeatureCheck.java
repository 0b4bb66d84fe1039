package io.convergence.internal.runtime;

import io.convergence.Feature;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks the portable features a spec needs against what a backend offers, before the backend is
 * asked.
 */
final class FeatureCheck {

  private FeatureCheck() {}

  static List<SpecProblem> check(LabSpec spec, String backendId, Set<Feature> features) {
    List<SpecProblem> problems = new ArrayList<>();
    for (NamedWorkload w : spec.workloads()) {
      if (w.spec() instanceof VmSpec vm) {
        String path = "workloads[" + w.name() + "].vm";
        require(
            problems, features, Feature.VIRTUAL_MACHINES, path, backendId, "run the VM elsewhere");
        if (vm.guestOs() == GuestOs.WINDOWS) {
          require(problems, features, Feature.WINDOWS_GUESTS, path + ".guestOs", backendId, "");
        } else {
          require(problems, features, Feature.LINUX_GUESTS, path + ".guestOs", backendId, "");
        }
        vm.cloudInit()
            .ifPresent(
                x ->
                    require(
                        problems,
                        features,
                        Feature.CLOUD_INIT,
                        path + ".cloudInit",
                        backendId,
                        "bake the configuration into the image"));
        vm.sysprep()
            .ifPresent(
                x ->
                    require(
                        problems,
                        features,
                        Feature.SYSPREP,
                        path + ".sysprep",
                        backendId,
                        "use a template that is already generalised and configured"));
        if (vm.guestAgent()) {
          require(
              problems,
              features,
              Feature.GUEST_AGENT,
              path + ".guestAgent",
              backendId,
              "set guestAgent: false and probe a port instead");
        }
        if (!vm.disks().isEmpty()) {
          require(
              problems,
              features,
              Feature.EXTRA_DISKS,
              path + ".disks",
              backendId,
              "use an image that has the disks");
        }
        vm.image()
            .ifPresent(
                image -> {
                  Feature f =
                      switch (image.kind()) {
                        case NAMED -> Feature.IMAGE_NAMED;
                        case URL -> Feature.IMAGE_URL;
                        case REGISTRY -> Feature.IMAGE_REGISTRY;
                        case DISK -> Feature.IMAGE_DISK;
                      };
                  require(
                      problems,
                      features,
                      f,
                      path + ".image",
                      backendId,
                      f == Feature.IMAGE_NAMED
                          ? ""
                          : "upload the image to the platform and name it: image: NAME");
                });
        if (!vm.mounts().isEmpty()) {
          require(
              problems,
              features,
              Feature.SHARED_VOLUMES,
              path + ".mounts",
              backendId,
              "copy files in and out with exec instead");
        }
      } else if (w.spec() instanceof ContainerSpec c) {
        String path = "workloads[" + w.name() + "].container";
        require(
            problems,
            features,
            Feature.CONTAINERS,
            path,
            backendId,
            "configure a Kubernetes cluster for the backend's containers");
        if (!c.mounts().isEmpty()) {
          require(problems, features, Feature.SHARED_VOLUMES, path + ".mounts", backendId, "");
        }
      }
    }
    return problems;
  }

  private static void require(
      List<SpecProblem> problems,
      Set<Feature> features,
      Feature feature,
      String path,
      String backendId,
      String alternative) {
    if (!features.contains(feature)) {
      String name = feature.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
      problems.add(
          new SpecProblem(
              path,
              "backend '"
                  + backendId
                  + "' does not support "
                  + name
                  + (alternative.isEmpty()
                      ? "; use a backend that does"
                      : "; " + alternative + ", or use a backend that supports it")));
    }
  }
}
