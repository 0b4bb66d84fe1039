package io.convergence.testkit.kubevirt;

import static io.convergence.testkit.kubernetes.internal.Gkr.deleting;
import static io.convergence.testkit.kubernetes.internal.Gkr.labels;
import static io.convergence.testkit.kubernetes.internal.Gkr.spec;
import static io.convergence.testkit.kubernetes.internal.Gkr.status;
import static io.convergence.testkit.kubevirt.KubeVirtResources.DATA_SOURCE;
import static io.convergence.testkit.kubevirt.KubeVirtResources.DATA_VOLUME;
import static io.convergence.testkit.kubevirt.KubeVirtResources.VIRTUAL_MACHINE;
import static java.util.Objects.requireNonNull;

import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Latencies;
import io.convergence.testkit.kubernetes.internal.Cache;
import io.convergence.testkit.kubernetes.internal.Conditions;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Does what CDI's DataVolume controller and importer do, on any API reached through a fabric8
 * client ({@code cdi.kubevirt.io/v1beta1}), one {@linkplain Latencies latency} per step:
 *
 * <ul>
 *   <li>A new DataVolume goes {@code Pending} and gets its PersistentVolumeClaim (same name,
 *       ownerReference to the DataVolume, its labels plus {@code app: containerized-data-importer},
 *       size, access modes and volume mode from {@code spec.storage} or {@code spec.pvc}); the
 *       {@link io.convergence.testkit.kubernetes.FakeVolumeProvisioner} binds it.
 *   <li>Once bound ({@code Bound=True}, {@code claimName}): imports ({@code http}, {@code
 *       registry}, {@code s3}, {@code gcs}, {@code imageio}, {@code vddk}, {@code blank}) go {@code
 *       ImportScheduled} → {@code ImportInProgress} with {@code status.progress} {@code 12.50%},
 *       {@code 37.50%}, {@code 62.50%}, {@code 87.50%}; clones ({@code pvc}, {@code snapshot}, and
 *       a {@code sourceRef} to a DataSource, resolved against DataSource objects) go {@code
 *       CloneScheduled} → {@code CloneInProgress} the same way, once the source claim exists and is
 *       bound. Then {@code Succeeded}, {@code progress: 100.0%}, conditions {@code Bound=True},
 *       {@code Running=False} (reason {@code Completed}), {@code Ready=True}.
 *   <li>Faults: {@link Faults#importFails} makes the importer restart ({@code restartCount}, {@code
 *       Running=False} reason {@code Error} with the message) three times, then {@code Failed};
 *       {@link Faults#slowImport} slows each progress step. A {@code sourceRef} to a missing
 *       DataSource fails the DataVolume ({@code Failed}, reason {@code NotFound}).
 * </ul>
 *
 * <p>It also seeds golden images ({@link #seedGoldenImages()}): DataSources with {@code Ready=True}
 * and their claims in {@value #GOLDEN_IMAGE_NAMESPACE}, as DataImportCrons would have made them.
 *
 * <p>What it does not simulate: data (claims are empty), upload (stays {@code UploadReady}), the
 * importer and clone pods, StorageProfiles, {@code WaitForFirstConsumer}, smart and CSI clones,
 * DataImportCrons, preallocation, checkpoints ({@code Paused}).
 *
 * @since 0.1.0
 */
public final class FakeCdiController implements AutoCloseable {

  /** The namespace of the golden images: {@value}. */
  public static final String GOLDEN_IMAGE_NAMESPACE = "kubevirt-os-images";

  /**
   * A golden image of the catalog.
   *
   * @param name the DataSource's (and its claim's) name
   * @param size the claim's size, e.g. {@code 30Gi}
   */
  public record GoldenImage(String name, String size) {

    /**
     * Checks the fields.
     *
     * @param name the name
     * @param size the size
     */
    public GoldenImage {
      requireNonNull(name, "name");
      requireNonNull(size, "size");
    }
  }

  /** The default catalog of golden images. */
  public static final List<GoldenImage> DEFAULT_GOLDEN_IMAGES =
      List.of(
          new GoldenImage("fedora-41", "5Gi"),
          new GoldenImage("ubuntu-24.04", "5Gi"),
          new GoldenImage("centos-stream9", "10Gi"),
          new GoldenImage("win2019-tester", "60Gi"),
          new GoldenImage("win2019", "60Gi"),
          new GoldenImage("win2022", "60Gi"));

  private static final List<String> PROGRESS = List.of("12.50%", "37.50%", "62.50%", "87.50%");
  private static final int IMPORT_RESTARTS_BEFORE_FAILING = 3;

  private final CdiController controller;
  private final Latencies latencies;
  private final Faults faults;

  private FakeCdiController(
      KubernetesClient client, Latencies latencies, Faults faults, Set<String> namespaces) {
    this.latencies = latencies;
    this.faults = faults;
    this.controller = new CdiController(client, namespaces);
  }

  /**
   * Starts a controller watching every namespace.
   *
   * @param client the client it reads and writes with
   * @param latencies the latencies (shared with the other simulators)
   * @param faults the faults (shared with the other simulators)
   * @return the running controller
   */
  public static FakeCdiController start(
      KubernetesClient client, Latencies latencies, Faults faults) {
    return start(client, latencies, faults, Set.of());
  }

  /**
   * Starts a controller.
   *
   * @param client the client it reads and writes with
   * @param latencies the latencies (shared with the other simulators)
   * @param faults the faults (shared with the other simulators)
   * @param namespaces the namespaces to watch, empty for all
   * @return the running controller
   */
  public static FakeCdiController start(
      KubernetesClient client, Latencies latencies, Faults faults, Set<String> namespaces) {
    FakeCdiController c =
        new FakeCdiController(
            requireNonNull(client, "client"),
            requireNonNull(latencies, "latencies"),
            requireNonNull(faults, "faults"),
            new LinkedHashSet<>(namespaces));
    c.controller.start();
    return c;
  }

  /**
   * Creates the {@linkplain #DEFAULT_GOLDEN_IMAGES default golden images}.
   *
   * @return this controller
   */
  public FakeCdiController seedGoldenImages() {
    return seedGoldenImages(DEFAULT_GOLDEN_IMAGES);
  }

  /**
   * Creates golden images in {@value #GOLDEN_IMAGE_NAMESPACE} (the namespace too, when missing):
   * for each a claim and a DataSource pointing at it ({@code spec.source.pvc}) with {@code
   * status.conditions Ready=True}. Existing ones are left alone.
   *
   * @param images the images
   * @return this controller
   */
  public FakeCdiController seedGoldenImages(List<GoldenImage> images) {
    KubernetesClient client = controller.client();
    String ns = GOLDEN_IMAGE_NAMESPACE;
    if (client.namespaces().withName(ns).get() == null) {
      try {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      } catch (RuntimeException e) {
        if (!Controller.isStatus(e, 409)) {
          throw e;
        }
      }
    }
    for (GoldenImage image : images) {
      if (client.persistentVolumeClaims().inNamespace(ns).withName(image.name()).get() == null) {
        createQuietly(
            () ->
                client
                    .persistentVolumeClaims()
                    .inNamespace(ns)
                    .resource(
                        new PersistentVolumeClaimBuilder()
                            .withNewMetadata()
                            .withName(image.name())
                            .withNamespace(ns)
                            .addToLabels(
                                "cdi.kubevirt.io/dataImportCron", image.name() + "-image-cron")
                            .endMetadata()
                            .withNewSpec()
                            .withAccessModes("ReadWriteOnce")
                            .withVolumeMode("Filesystem")
                            .withNewResources()
                            .addToRequests("storage", new Quantity(image.size()))
                            .endResources()
                            .endSpec()
                            .build())
                    .create());
      }
      if (client
              .genericKubernetesResources(DATA_SOURCE)
              .inNamespace(ns)
              .withName(image.name())
              .get()
          == null) {
        Map<String, Object> source =
            Json.obj("pvc", Json.obj("name", image.name(), "namespace", ns));
        GenericKubernetesResource ds = new GenericKubernetesResource();
        ds.setApiVersion(KubeVirtResources.apiVersion(DATA_SOURCE));
        ds.setKind("DataSource");
        ds.setMetadata(
            new ObjectMetaBuilder()
                .withName(image.name())
                .withNamespace(ns)
                .addToLabels("cdi.kubevirt.io/dataImportCron", image.name() + "-image-cron")
                .build());
        ds.setAdditionalProperty("spec", Json.obj("source", source));
        Map<String, Object> status =
            Json.obj(
                "conditions",
                List.of(
                    withTimes(
                        Conditions.of(
                            "Ready", true, "Ready", "DataSource is ready to be consumed"))),
                "source",
                Json.copy(source));
        ds.setAdditionalProperty("status", status);
        createQuietly(
            () -> {
              GenericKubernetesResource created =
                  client
                      .genericKubernetesResources(DATA_SOURCE)
                      .inNamespace(ns)
                      .resource(ds)
                      .create();
              Gkr.checkNotPruned("DataSource " + image.name() + " spec", spec(ds), spec(created));
              if (status(created).isEmpty()) {
                // a DataSource CRD with a status subresource drops status on create
                Gkr.writeStatus(client, DATA_SOURCE, created, status);
              } else {
                Gkr.checkNotPruned(
                    "DataSource " + image.name() + " status", status, status(created));
              }
              return created;
            });
      }
    }
    return this;
  }

  private static Map<String, Object> withTimes(Map<String, Object> condition) {
    Map<String, Object> c = new LinkedHashMap<>(condition);
    String now = Controller.now();
    c.put("lastHeartbeatTime", now);
    c.put("lastTransitionTime", now);
    return c;
  }

  private static void createQuietly(java.util.function.Supplier<?> create) {
    try {
      create.get();
    } catch (RuntimeException e) {
      if (!Controller.isStatus(e, 409)) {
        throw e;
      }
    }
  }

  /** Stops watching; DataVolumes keep their last status. */
  @Override
  public void close() {
    controller.close();
  }

  @Override
  public String toString() {
    return "FakeCdiController{" + latencies.step() + "}";
  }

  // ------------------------------------------------------------------ the controller

  private final class CdiController extends Controller {
    private final Cache<GenericKubernetesResource> dvs = new Cache<>();
    private final Cache<PersistentVolumeClaim> claims = new Cache<>();
    private final Cache<GenericKubernetesResource> vms = new Cache<>();
    private final Set<String> namespaces;
    private final Map<String, String> lastUid = new ConcurrentHashMap<>();

    CdiController(KubernetesClient client, Set<String> namespaces) {
      super("cdi-controller", client, 2);
      this.namespaces = Set.copyOf(namespaces);
    }

    KubernetesClient client() {
      return client;
    }

    @Override
    protected void startInformers() {
      List<String> scopes =
          namespaces.isEmpty()
              ? java.util.Collections.singletonList(null)
              : List.copyOf(namespaces);
      for (String ns : scopes) {
        inform(
            ns == null
                ? client.genericKubernetesResources(DATA_VOLUME).inAnyNamespace()
                : client.genericKubernetesResources(DATA_VOLUME).inNamespace(ns),
            dvs,
            dv -> List.of(key("dv", dv)));
        inform(
            ns == null
                ? client.persistentVolumeClaims().inAnyNamespace()
                : client.persistentVolumeClaims().inNamespace(ns),
            claims,
            this::dvsOfClaim);
        inform(
            ns == null
                ? client.genericKubernetesResources(VIRTUAL_MACHINE).inAnyNamespace()
                : client.genericKubernetesResources(VIRTUAL_MACHINE).inNamespace(ns),
            vms,
            vm -> List.of());
      }
      if (!namespaces.isEmpty() && !namespaces.contains(GOLDEN_IMAGE_NAMESPACE)) {
        inform(
            client.persistentVolumeClaims().inNamespace(GOLDEN_IMAGE_NAMESPACE),
            claims,
            this::dvsOfClaim);
      }
    }

    /** The DataVolume owning a claim, and those cloning from it. */
    private List<String> dvsOfClaim(PersistentVolumeClaim pvc) {
      List<String> keys = new ArrayList<>();
      String owner = Gkr.ownerName(pvc, "DataVolume");
      if (owner != null) {
        keys.add(key("dv", pvc.getMetadata().getNamespace(), owner));
      }
      for (GenericKubernetesResource dv : dvs.list()) {
        String phase = Json.strOr(dv.getAdditionalProperties(), "", "status", "phase");
        if (phase.equals("CloneScheduled") || phase.equals("Pending")) {
          keys.add(key("dv", dv));
        }
      }
      return keys;
    }

    @Override
    protected void reconcile(String key) {
      String[] k = split(key);
      String ns = k[1];
      String name = k[2];
      GenericKubernetesResource dv = dvs.get(ns, name);
      if (dv == null) {
        String uid = lastUid.remove(key);
        if (uid != null) {
          // what the garbage collector does once the DataVolume is gone (the mock has none)
          PersistentVolumeClaim pvc = claims.get(ns, name);
          if (pvc != null && Gkr.ownedBy(pvc, "DataVolume", uid, name) && !deleting(pvc)) {
            try {
              client.persistentVolumeClaims().inNamespace(ns).withName(name).delete();
            } catch (RuntimeException e) {
              if (!isStatus(e, 404)) {
                throw e;
              }
            }
          }
        }
        forget(key);
        return;
      }
      String uid = dv.getMetadata().getUid();
      lastUid.put(key, uid);
      if (deleting(dv)) {
        return;
      }
      String workload = workload(dv);
      Duration latency = latencies.of(workload);
      Map<String, Object> status = Json.copy(status(dv));
      String phase = Json.strOr(status, "", "phase");
      Source source = source(dv);
      switch (phase) {
        case "" -> {
          if (!due(key, uid, "Pending", latency)) {
            return;
          }
          if (source.missing() != null) {
            status.put("phase", "Failed");
            status.put("progress", "N/A");
            setConditions(
                status,
                List.of(
                    Conditions.of("Bound", false, "NotFound", source.missing()),
                    Conditions.of("Running", false, "NotFound", source.missing()),
                    Conditions.of("Ready", false, "NotFound", source.missing())));
            Gkr.writeStatus(client, DATA_VOLUME, dv, status);
            done(key, uid, "Pending");
            return;
          }
          createClaim(dv);
          status.put("phase", "Pending");
          status.put("progress", "N/A");
          status.put("claimName", name);
          setConditions(
              status,
              List.of(
                  Conditions.of("Bound", false, "Pending", "PVC " + name + " Pending"),
                  Conditions.of("Running", false, null, null),
                  Conditions.of("Ready", false, null, null)));
          Gkr.writeStatus(client, DATA_VOLUME, dv, status);
          done(key, uid, "Pending");
        }
        case "Pending" -> {
          PersistentVolumeClaim pvc = claims.get(ns, name);
          if (pvc == null) {
            createClaim(dv); // lost, or deleted under us
            return;
          }
          if (pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
            return;
          }
          if (source.kind() == SourceKind.CLONE && !sourceBound(source)) {
            return;
          }
          if (!due(key, uid, "Scheduled", latency)) {
            return;
          }
          String scheduled = source.kind().prefix + "Scheduled";
          status.put("phase", scheduled);
          status.put("claimName", name);
          setConditions(
              status,
              List.of(
                  Conditions.of("Bound", true, "Bound", "PVC " + name + " Bound"),
                  Conditions.of("Running", false, null, null),
                  Conditions.of("Ready", false, null, null)));
          Gkr.writeStatus(client, DATA_VOLUME, dv, status);
          done(key, uid, "Scheduled");
        }
        case "ImportScheduled", "CloneScheduled" -> {
          if (!due(key, uid, "InProgress", latency)) {
            return;
          }
          status.put("phase", source.kind().prefix + "InProgress");
          status.put("progress", "0.00%");
          setConditions(
              status,
              List.of(
                  Conditions.of("Bound", true, "Bound", "PVC " + name + " Bound"),
                  Conditions.of("Running", true, null, null),
                  Conditions.of("Ready", false, null, null)));
          Gkr.writeStatus(client, DATA_VOLUME, dv, status);
          done(key, uid, "InProgress");
        }
        case "ImportInProgress", "CloneInProgress" -> progress(key, dv, status, workload, latency);
        case "UploadScheduled" -> {
          if (due(key, uid, "UploadReady", latency)) {
            status.put("phase", "UploadReady");
            setConditions(
                status,
                List.of(
                    Conditions.of("Bound", true, "Bound", "PVC " + name + " Bound"),
                    Conditions.of("Running", true, null, null),
                    Conditions.of("Ready", false, null, null)));
            Gkr.writeStatus(client, DATA_VOLUME, dv, status);
            done(key, uid, "UploadReady");
          }
        }
        default -> {
          // Succeeded, Failed, UploadReady: nothing more happens
        }
      }
    }

    private void progress(
        String key,
        GenericKubernetesResource dv,
        Map<String, Object> status,
        @Nullable String workload,
        Duration latency) {
      String uid = dv.getMetadata().getUid();
      String name = dv.getMetadata().getName();
      boolean clone = Json.strOr(status, "", "phase").startsWith("Clone");
      Duration step = faults.importStepLatency(workload).orElse(latency);
      String current = Json.strOr(status, "0.00%", "progress");
      Object restarts = status.get("restartCount");
      int restartCount = restarts instanceof Number n ? n.intValue() : 0;
      String failure = faults.importFailure(workload).orElse(null);
      if (failure != null) {
        String stepName = "restart-" + restartCount;
        if (!due(key, uid, stepName, step)) {
          return;
        }
        restartCount++;
        status.put("restartCount", restartCount);
        if (restartCount >= IMPORT_RESTARTS_BEFORE_FAILING) {
          status.put("phase", "Failed");
        }
        setConditions(
            status,
            List.of(
                Conditions.of("Bound", true, "Bound", "PVC " + name + " Bound"),
                Conditions.of("Running", false, "Error", failure),
                Conditions.of("Ready", false, null, null)));
        Gkr.writeStatus(client, DATA_VOLUME, dv, status);
        done(key, uid, stepName);
        return;
      }
      int index = PROGRESS.indexOf(current);
      String stepName = "progress-" + current;
      if (!due(key, uid, stepName, step)) {
        return;
      }
      if (index + 1 < PROGRESS.size()) {
        status.put("progress", PROGRESS.get(index + 1));
      } else {
        status.put("phase", "Succeeded");
        status.put("progress", "100.0%");
        setConditions(
            status,
            List.of(
                Conditions.of("Bound", true, "Bound", "PVC " + name + " Bound"),
                Conditions.of(
                    "Running", false, "Completed", clone ? "Clone Complete" : "Import Complete"),
                Conditions.of("Ready", true, null, null)));
      }
      Gkr.writeStatus(client, DATA_VOLUME, dv, status);
      done(key, uid, stepName);
    }

    private @Nullable String workload(GenericKubernetesResource dv) {
      String w = labels(dv).get(Faults.WORKLOAD_LABEL);
      if (w != null) {
        return w;
      }
      String vm = Gkr.ownerName(dv, "VirtualMachine");
      if (vm != null) {
        GenericKubernetesResource owner = vms.get(dv.getMetadata().getNamespace(), vm);
        if (owner != null) {
          return FakeVirtController.workload(owner);
        }
      }
      return null;
    }

    private void createClaim(GenericKubernetesResource dv) {
      String ns = dv.getMetadata().getNamespace();
      String name = dv.getMetadata().getName();
      if (claims.get(ns, name) != null) {
        return;
      }
      Map<String, Object> spec = spec(dv);
      Map<String, Object> storage = Json.map(spec, "storage");
      if (storage.isEmpty()) {
        storage = Json.map(spec, "pvc");
      }
      List<String> modes = Json.strings(storage, "accessModes");
      String size = Json.strOr(storage, "1Gi", "resources", "requests", "storage");
      Map<String, String> pvcLabels = new LinkedHashMap<>(labels(dv));
      pvcLabels.put("app", "containerized-data-importer");
      pvcLabels.put("app.kubernetes.io/component", "storage");
      pvcLabels.put("app.kubernetes.io/managed-by", "cdi-controller");
      PersistentVolumeClaimBuilder b =
          new PersistentVolumeClaimBuilder()
              .withMetadata(
                  new ObjectMetaBuilder()
                      .withName(name)
                      .withNamespace(ns)
                      .withLabels(pvcLabels)
                      .addToAnnotations(
                          "cdi.kubevirt.io/storage.contentType",
                          Json.strOr(spec, "kubevirt", "contentType"))
                      .withOwnerReferences(Gkr.controllerRef(dv))
                      .build())
              .withNewSpec()
              .withAccessModes(modes.isEmpty() ? List.of("ReadWriteOnce") : modes)
              .withVolumeMode(Json.strOr(storage, "Filesystem", "volumeMode"))
              .withStorageClassName(Json.str(storage, "storageClassName"))
              .withNewResources()
              .addToRequests("storage", new Quantity(size))
              .endResources()
              .endSpec();
      try {
        client.persistentVolumeClaims().inNamespace(ns).resource(b.build()).create();
      } catch (RuntimeException e) {
        if (!isStatus(e, 409)) {
          throw e;
        }
      }
    }

    private boolean sourceBound(Source source) {
      if (source.claimNamespace() == null || source.claimName() == null) {
        return true; // a snapshot: nothing to wait for here
      }
      PersistentVolumeClaim pvc = claims.get(source.claimNamespace(), source.claimName());
      if (pvc == null) {
        pvc =
            client
                .persistentVolumeClaims()
                .inNamespace(source.claimNamespace())
                .withName(source.claimName())
                .get();
      }
      return pvc != null && pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase());
    }

    private Source source(GenericKubernetesResource dv) {
      String ns = dv.getMetadata().getNamespace();
      Map<String, Object> spec = spec(dv);
      Map<String, Object> ref = Json.map(spec, "sourceRef");
      if (!ref.isEmpty()) {
        String dsName = Json.strOr(ref, "", "name");
        String dsNs = Json.strOr(ref, ns, "namespace");
        GenericKubernetesResource ds =
            client.genericKubernetesResources(DATA_SOURCE).inNamespace(dsNs).withName(dsName).get();
        if (ds == null) {
          return new Source(
              SourceKind.CLONE,
              null,
              null,
              "DataSource.cdi.kubevirt.io \"" + dsName + "\" not found in namespace " + dsNs);
        }
        Map<String, Object> pvc = Json.map(ds.getAdditionalProperties(), "spec", "source", "pvc");
        return new Source(
            SourceKind.CLONE, Json.strOr(pvc, dsNs, "namespace"), Json.str(pvc, "name"), null);
      }
      Map<String, Object> src = Json.map(spec, "source");
      if (src.containsKey("pvc")) {
        return new Source(
            SourceKind.CLONE,
            Json.strOr(src, ns, "pvc", "namespace"),
            Json.str(src, "pvc", "name"),
            null);
      }
      if (src.containsKey("snapshot")) {
        return new Source(SourceKind.CLONE, null, null, null);
      }
      if (src.containsKey("upload")) {
        return new Source(SourceKind.UPLOAD, null, null, null);
      }
      return new Source(SourceKind.IMPORT, null, null, null);
    }

    private void setConditions(Map<String, Object> status, List<Map<String, Object>> wanted) {
      status.put(
          "conditions",
          Conditions.merge(
              Json.maps(status, "conditions"),
              wanted,
              now(),
              "lastTransitionTime",
              "lastHeartbeatTime"));
    }
  }

  private enum SourceKind {
    IMPORT("Import"),
    CLONE("Clone"),
    UPLOAD("Upload");

    final String prefix;

    SourceKind(String prefix) {
      this.prefix = prefix;
    }
  }

  private record Source(
      SourceKind kind,
      @Nullable String claimNamespace,
      @Nullable String claimName,
      @Nullable String missing) {}
}
