package io.convergence;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who owns a lab's objects and until when: stamped on every object a backend creates (as Kubernetes
 * labels, vSphere tags or custom attributes, Nutanix categories). Teardown and {@code sweep} act
 * only on objects that carry it, so a lab left behind by a crashed JVM is still found and removed.
 *
 * @param labId the lab's unique id, e.g. {@code wafer-analysis-k3x9q2}
 * @param labName the lab spec's name
 * @param runId the id of the JVM run (session) that created the lab
 * @param specHash a hash of the lab spec
 * @param owner who started the lab (user name or CI job), label-safe
 * @param expiresAt when the lab's TTL ends, in whole seconds
 * @since 0.1.0
 */
public record Ownership(
    String labId, String labName, String runId, String specHash, String owner, Instant expiresAt) {

  /** The value of {@link #MANAGED_BY_KEY} on every object. */
  public static final String MANAGED_BY = "convergence";

  /** Label key: always {@value #MANAGED_BY}. */
  public static final String MANAGED_BY_KEY = "convergence.io/managed-by";

  /** Label key: the lab id. */
  public static final String LAB_ID_KEY = "convergence.io/lab-id";

  /** Label key: the lab name. */
  public static final String LAB_NAME_KEY = "convergence.io/lab";

  /** Label key: the run id. */
  public static final String RUN_ID_KEY = "convergence.io/run-id";

  /** Label key: the spec hash. */
  public static final String SPEC_HASH_KEY = "convergence.io/spec-hash";

  /** Label key: the owner. */
  public static final String OWNER_KEY = "convergence.io/owner";

  /** Label key: the expiry in epoch seconds (label values cannot hold ISO timestamps). */
  public static final String EXPIRES_AT_KEY = "convergence.io/expires-at";

  /** Label key on workload objects: the workload's name. */
  public static final String WORKLOAD_KEY = "convergence.io/workload";

  /**
   * The run id of a reusable lab ({@value}): it belongs to no single run, outlives the run that
   * created it, and is adopted by later runs that start the same spec with {@link
   * StartOptions#reuse()}, until it expires.
   */
  public static final String REUSE_RUN_ID = "reuse";

  /**
   * Checks the components.
   *
   * @param labId the lab's id
   * @param labName the lab's name
   * @param runId the run id
   * @param specHash the spec hash
   * @param owner the owner
   * @param expiresAt the expiry
   */
  public Ownership {
    requireNonNull(labId, "labId");
    requireNonNull(labName, "labName");
    requireNonNull(runId, "runId");
    requireNonNull(specHash, "specHash");
    requireNonNull(owner, "owner");
    // Labels hold whole seconds; keep the record equal to what is read back from them.
    expiresAt =
        requireNonNull(expiresAt, "expiresAt").truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /**
   * The ownership as labels, valid as Kubernetes label keys and values.
   *
   * @return key to value, in a fixed order
   */
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY_KEY, MANAGED_BY);
    labels.put(LAB_ID_KEY, labId);
    labels.put(LAB_NAME_KEY, labName);
    labels.put(RUN_ID_KEY, runId);
    labels.put(SPEC_HASH_KEY, specHash);
    labels.put(OWNER_KEY, owner);
    labels.put(EXPIRES_AT_KEY, Long.toString(expiresAt.getEpochSecond()));
    return labels;
  }

  /**
   * Reads ownership back from an object's labels.
   *
   * @param labels an object's labels
   * @return the ownership, or empty when the object is not managed by Convergence or its labels are
   *     incomplete
   */
  public static Optional<Ownership> fromLabels(Map<String, String> labels) {
    if (!MANAGED_BY.equals(labels.get(MANAGED_BY_KEY))) {
      return Optional.empty();
    }
    String labId = labels.get(LAB_ID_KEY);
    String expires = labels.get(EXPIRES_AT_KEY);
    if (labId == null || expires == null) {
      return Optional.empty();
    }
    Instant expiresAt;
    try {
      expiresAt = Instant.ofEpochSecond(Long.parseLong(expires));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(
        new Ownership(
            labId,
            labels.getOrDefault(LAB_NAME_KEY, ""),
            labels.getOrDefault(RUN_ID_KEY, ""),
            labels.getOrDefault(SPEC_HASH_KEY, ""),
            labels.getOrDefault(OWNER_KEY, ""),
            expiresAt));
  }

  /**
   * Whether the lab's TTL has ended at {@code now}.
   *
   * @param now the current time
   * @return true when expired
   */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /**
   * Whether this is a reusable lab (its run id is {@link #REUSE_RUN_ID}).
   *
   * @return true when reusable
   */
  public boolean reusable() {
    return REUSE_RUN_ID.equals(runId);
  }

  /**
   * Turns any text into a valid label value: at most 63 letters, digits, '-', '_' or '.', starting
   * and ending with a letter or digit.
   *
   * @param text e.g. a user name
   * @return the label value; {@code unknown} when nothing is left
   */
  public static String labelSafe(String text) {
    String s = text.replaceAll("[^A-Za-z0-9._-]", "_");
    if (s.length() > 63) {
      s = s.substring(0, 63);
    }
    s = s.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    return s.isEmpty() ? "unknown" : s;
  }
}
