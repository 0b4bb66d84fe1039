package io.convergence.testkit.kubernetes.internal;

import java.util.Locale;

/** Container image references, normalised the way a container runtime resolves them. */
public final class Images {

  private Images() {}

  /**
   * The fully qualified form of an image reference: {@code busybox} becomes {@code
   * docker.io/library/busybox:latest}, {@code dperson/samba} becomes {@code
   * docker.io/dperson/samba:latest}; references with a registry or a digest keep them.
   *
   * @param image the reference as written in a pod spec
   * @return the normalised reference
   */
  public static String normalize(String image) {
    String ref = image.trim();
    String first = ref.contains("/") ? ref.substring(0, ref.indexOf('/')) : "";
    boolean hasRegistry =
        !first.isEmpty()
            && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    String name = hasRegistry ? ref : "docker.io/" + (ref.contains("/") ? ref : "library/" + ref);
    String lastSegment = name.substring(name.lastIndexOf('/') + 1);
    if (!name.contains("@") && !lastSegment.contains(":")) {
      name = name + ":latest";
    }
    return name.toLowerCase(Locale.ROOT);
  }
}
