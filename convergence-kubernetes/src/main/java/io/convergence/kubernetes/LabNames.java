package io.convergence.kubernetes;

import io.convergence.Ownership;
import io.convergence.spec.LabSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a lab's objects live and what they are called and labelled. By default each lab gets its
 * own namespace {@code cvg-<lab id>} and objects are named after their workload, so a workload's
 * Service DNS name is the workload's name. With a fixed namespace (setting {@code namespace}), labs
 * share it and names get the lab's suffix ({@code analysis-k3x9q2}) so that they cannot collide.
 *
 * @param namespace the namespace
 * @param dedicated whether the namespace belongs to this lab alone (and is deleted with it)
 * @param ownership the lab's ownership
 * @param labLabels the lab spec's own labels
 * @since 0.1.0
 */
public record LabNames(
    String namespace, boolean dedicated, Ownership ownership, Map<String, String> labLabels) {

  /** The prefix of a lab's own namespace. */
  public static final String NAMESPACE_PREFIX = "cvg-";

  /** The label on launcher pods and other objects that saying which workload they belong to. */
  public static final String WORKLOAD_KEY = Ownership.WORKLOAD_KEY;

  /**
   * Checks and copies the components.
   *
   * @param namespace the namespace
   * @param dedicated whether it belongs to this lab alone
   * @param ownership the ownership
   * @param labLabels the spec's labels
   */
  public LabNames {
    labLabels = Map.copyOf(labLabels);
  }

  /**
   * The names of a lab.
   *
   * @param spec the lab spec
   * @param ownership its ownership
   * @param fixedNamespace a namespace shared by all labs, or empty for a namespace per lab
   * @return the names
   */
  public static LabNames of(LabSpec spec, Ownership ownership, Optional<String> fixedNamespace) {
    return fixedNamespace
        .map(ns -> new LabNames(ns, false, ownership, spec.labels()))
        .orElseGet(
            () ->
                new LabNames(NAMESPACE_PREFIX + ownership.labId(), true, ownership, spec.labels()));
  }

  /**
   * The name of a workload's objects (Pod, Service, VirtualMachine).
   *
   * @param workload the workload
   * @return the object name
   */
  public String objectName(String workload) {
    if (dedicated) {
      return workload;
    }
    String id = ownership.labId();
    return workload + "-" + id.substring(id.lastIndexOf('-') + 1);
  }

  /**
   * The name of an object that belongs to a workload, e.g. {@code analysis-env}.
   *
   * @param workload the workload
   * @param suffix what the object is for
   * @return the object name
   */
  public String objectName(String workload, String suffix) {
    return objectName(workload) + "-" + suffix;
  }

  /**
   * The DNS name of a workload's Service inside the cluster.
   *
   * @param workload the workload
   * @return e.g. {@code analysis.cvg-lab-k3x9q2.svc}
   */
  public String serviceHost(String workload) {
    return objectName(workload) + "." + namespace + ".svc";
  }

  /**
   * Labels of every object of the lab: the spec's labels and the ownership labels.
   *
   * @return the labels
   */
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>(labLabels);
    labels.put("app.kubernetes.io/managed-by", "convergence");
    labels.putAll(ownership.labels());
    return labels;
  }

  /**
   * Labels of a workload's objects.
   *
   * @param workload the workload
   * @param workloadLabels the workload spec's labels
   * @return the labels
   */
  public Map<String, String> labels(String workload, Map<String, String> workloadLabels) {
    Map<String, String> labels = new LinkedHashMap<>(workloadLabels);
    labels.putAll(labels());
    labels.put("app.kubernetes.io/name", workload);
    labels.put(WORKLOAD_KEY, workload);
    return labels;
  }

  /**
   * The selector of every object of the lab.
   *
   * @return {@code convergence.io/lab-id=<id>}
   */
  public Map<String, String> labSelector() {
    return Map.of(Ownership.LAB_ID_KEY, ownership.labId());
  }

  /**
   * The selector of a workload's pods.
   *
   * @param workload the workload
   * @return lab id and workload
   */
  public Map<String, String> workloadSelector(String workload) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(Ownership.LAB_ID_KEY, ownership.labId());
    selector.put(WORKLOAD_KEY, workload);
    return selector;
  }
}
