package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convergence.testkit.prism.Envelopes.AppMessage;
import io.convergence.testkit.prism.Envelopes.Violation;
import io.convergence.testkit.prism.ODataFilter.FilterException;
import io.convergence.testkit.prism.TaskEntity.Completion;
import io.convergence.testkit.prism.TaskEntity.Ref;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The endpoints of the wire contract: routes and what each does to the store. Cross-cutting
 * concerns (authentication, faults, request ids, logging) are {@link PrismHttpHandler}'s.
 */
final class PrismApi {

  static final String VMS = "/api/vmm/v4.0/ahv/config/vms";
  static final String IMAGES = "/api/vmm/v4.0/content/images";
  static final String TASKS = "/api/prism/v4.0/config/tasks";
  static final String CATEGORIES = "/api/prism/v4.0/config/categories";
  static final String SUBNETS = "/api/networking/v4.0/config/subnets";
  static final String CLUSTERS = "/api/clustermgmt/v4.0/config/clusters";
  static final String RECOVERY_POINTS = "/api/dataprotection/v4.0/config/recovery-points";

  static final String VM_REL = "vmm:ahv:config:vm";
  static final String RECOVERY_POINT_REL = "dataprotection:config:recovery-point";
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;
  static final int CATEGORY_MAX = 64;
  private static final Duration BOOT_RECHECK = Duration.ofMillis(50);

  private final PrismStore store;
  private final TaskEngine engine;
  private final PrismFaults faults;
  private final Duration bootDelay;
  private final Router router = new Router();

  PrismApi(PrismStore store, TaskEngine engine, PrismFaults faults, Duration bootDelay) {
    this.store = store;
    this.engine = engine;
    this.faults = faults;
    this.bootDelay = bootDelay;
    Namespace vmm = Namespace.VMM;
    String vm = VMS + "/{extId}";
    router.add("POST", VMS, vmm, "ahv.config.CreateVmApiResponse", true, false, this::createVm);
    router.add("GET", VMS, vmm, "ahv.config.ListVmsApiResponse", false, true, this::listVms);
    router.add("GET", vm, vmm, "ahv.config.GetVmApiResponse", false, false, this::getVm);
    router.add("PUT", vm, vmm, "ahv.config.UpdateVmApiResponse", true, false, this::updateVm);
    router.add("DELETE", vm, vmm, "ahv.config.DeleteVmApiResponse", true, false, this::deleteVm);
    router.add(
        "POST",
        vm + "/$actions/power-on",
        vmm,
        "ahv.config.PowerOnVmApiResponse",
        true,
        false,
        c -> power(c, true));
    router.add(
        "POST",
        vm + "/$actions/power-off",
        vmm,
        "ahv.config.PowerOffVmApiResponse",
        true,
        false,
        c -> power(c, false));
    router.add(
        "POST",
        vm + "/$actions/revert",
        vmm,
        "ahv.config.RevertVmApiResponse",
        true,
        false,
        this::revertVm);
    router.add(
        "GET", IMAGES, vmm, "content.ListImagesApiResponse", false, true, c -> listStatic(c));
    router.add(
        "GET",
        IMAGES + "/{extId}",
        vmm,
        "content.GetImageApiResponse",
        false,
        false,
        c -> getStatic(c));
    Namespace prism = Namespace.PRISM;
    router.add(
        "GET", TASKS + "/{extId}", prism, "config.GetTaskApiResponse", false, false, this::getTask);
    router.add(
        "GET",
        CATEGORIES,
        prism,
        "config.ListCategoriesApiResponse",
        false,
        true,
        this::listCategories);
    router.add(
        "POST",
        CATEGORIES,
        prism,
        "config.CreateCategoryApiResponse",
        true,
        false,
        this::createCategory);
    router.add(
        "GET",
        CATEGORIES + "/{extId}",
        prism,
        "config.GetCategoryApiResponse",
        false,
        false,
        this::getCategory);
    router.add(
        "DELETE",
        CATEGORIES + "/{extId}",
        prism,
        "config.DeleteCategoryApiResponse",
        true,
        false,
        this::deleteCategory);
    router.add(
        "GET",
        SUBNETS,
        Namespace.NETWORKING,
        "config.ListSubnetsApiResponse",
        false,
        true,
        c -> listStatic(c));
    router.add(
        "GET",
        SUBNETS + "/{extId}",
        Namespace.NETWORKING,
        "config.GetSubnetApiResponse",
        false,
        false,
        c -> getStatic(c));
    router.add(
        "GET",
        CLUSTERS,
        Namespace.CLUSTERMGMT,
        "config.ListClustersApiResponse",
        false,
        true,
        c -> listStatic(c));
    router.add(
        "GET",
        CLUSTERS + "/{extId}",
        Namespace.CLUSTERMGMT,
        "config.GetClusterApiResponse",
        false,
        false,
        c -> getStatic(c));
    Namespace dp = Namespace.DATAPROTECTION;
    router.add(
        "POST",
        RECOVERY_POINTS,
        dp,
        "config.CreateRecoveryPointApiResponse",
        true,
        false,
        this::createRecoveryPoint);
    router.add(
        "GET",
        RECOVERY_POINTS,
        dp,
        "config.ListRecoveryPointsApiResponse",
        false,
        true,
        this::listRecoveryPoints);
    router.add(
        "GET",
        RECOVERY_POINTS + "/{extId}",
        dp,
        "config.GetRecoveryPointApiResponse",
        false,
        false,
        this::getRecoveryPoint);
    router.add(
        "DELETE",
        RECOVERY_POINTS + "/{extId}",
        dp,
        "config.DeleteRecoveryPointApiResponse",
        true,
        false,
        this::deleteRecoveryPoint);
  }

  Router router() {
    return router;
  }

  // ------------------------------------------------------------------ rendering (seeded entities)

  static ObjectNode render(PrismCluster c) {
    ObjectNode n =
        PrismJson.typed("clustermgmt.v4.config.Cluster", PrismStore.fixedEtag(c.extId()));
    n.put("extId", c.extId());
    n.put("name", c.name());
    ObjectNode config = n.putObject("config");
    c.clusterFunction().forEach(config.putArray("clusterFunction")::add);
    return n;
  }

  static ObjectNode render(PrismSubnet s) {
    ObjectNode n = PrismJson.typed("networking.v4.config.Subnet", PrismStore.fixedEtag(s.extId()));
    n.put("extId", s.extId());
    n.put("name", s.name());
    n.put("subnetType", "VLAN");
    n.put("clusterReference", s.clusterExtId());
    return n;
  }

  static ObjectNode render(PrismImage i) {
    ObjectNode n = PrismJson.typed("vmm.v4.content.Image", PrismStore.fixedEtag(i.extId()));
    n.put("extId", i.extId());
    n.put("name", i.name());
    n.put("type", "DISK_IMAGE");
    n.put("sizeBytes", i.sizeBytes());
    return n;
  }

  static ObjectNode render(PrismCategory c) {
    ObjectNode n = PrismJson.typed("prism.v4.config.Category", PrismStore.fixedEtag(c.extId()));
    n.put("extId", c.extId());
    n.put("key", c.key());
    n.put("value", c.value());
    if (c.description() != null) {
      n.put("description", c.description());
    }
    return n;
  }

  // ------------------------------------------------------------------ common answers

  private static HttpResult entity(Call c, ObjectNode data) {
    HttpResult r = HttpResult.json(200, Envelopes.single(c.responseType, data, c.selfHref()));
    JsonNode etag = data.path("$reserved").get("ETag");
    return etag == null ? r : r.withHeader("ETag", etag.asText());
  }

  private static HttpResult accepted(Call c, TaskEntity t) {
    String href = c.baseUri + TASKS + "/" + t.extId;
    return HttpResult.json(202, Envelopes.taskReference(c.responseType, t.extId, href));
  }

  private static ApiException notFound(Call c, String what, String extId) {
    return Envelopes.error(
        c.ns,
        c.responseType,
        404,
        new AppMessage(
            c.ns.code(20005),
            "ENTITY_NOT_FOUND",
            what + " with extId '" + extId + "' does not exist.",
            Map.of("extId", extId)));
  }

  private static AppMessage invalidReference(
      Namespace ns, String attribute, String extId, String message) {
    return new AppMessage(
        ns.code(20010),
        "INVALID_REFERENCE",
        message,
        Map.of("attributePath", attribute, "extId", extId));
  }

  private static void throwIfInvalidReferences(Call c, List<AppMessage> errors) {
    if (!errors.isEmpty()) {
      throw new ApiException(
          HttpResult.json(422, Envelopes.appError(c.ns, c.responseType, errors)));
    }
  }

  /** The {@code If-Match} of a mutation; 428 {@code PLAT-10004} when missing. */
  static String requireIfMatch(Call c) {
    String v = c.headers.getFirst("If-Match");
    if (v == null || v.isBlank()) {
      throw Envelopes.error(
          c.ns,
          c.responseType,
          428,
          new AppMessage(
              "PLAT-10004",
              "MISSING_ETAG_HEADER",
              "The If-Match header is required for this operation but was not provided."));
    }
    return v;
  }

  /** 412 with the contract's message: {@code VMM-30303 VM_ETAG_MISMATCH} for VMs. */
  static ApiException etagMismatch(Call c, String sent, String current, String extId) {
    boolean vm = c.ns == Namespace.VMM;
    return Envelopes.error(
        c.ns,
        c.responseType,
        412,
        new AppMessage(
            c.ns.code(30303),
            vm ? "VM_ETAG_MISMATCH" : "ETAG_MISMATCH",
            "Failed to perform the operation as the If-Match header value passed '"
                + sent
                + "' doesn't match the current value in the server '"
                + current
                + "'.",
            Map.of(vm ? "vm_uuid" : "extId", extId)));
  }

  private static ApiException conflict(Call c, String extId, String message) {
    boolean vm = c.ns == Namespace.VMM;
    return Envelopes.error(
        c.ns,
        c.responseType,
        409,
        new AppMessage(
            c.ns.code(30700),
            vm ? "VM_OPERATION_CONFLICT" : "OPERATION_CONFLICT",
            message,
            Map.of(vm ? "vm_uuid" : "extId", extId)));
  }

  // ------------------------------------------------------------------ lists

  /** Applies {@code $filter}, {@code $page} and {@code $limit} to rendered entities. */
  private static HttpResult list(
      Call c, List<ObjectNode> items, Set<String> fields, Set<String> collections) {
    List<Violation> violations = new ArrayList<>();
    Map<String, String> q = new HashMap<>();
    for (Map.Entry<String, String> e : c.query) {
      if (q.putIfAbsent(e.getKey(), e.getValue()) != null && e.getKey().startsWith("$")) {
        violations.add(Violation.query(e.getKey(), "must not be repeated"));
      }
    }
    ODataFilter filter = null;
    if (q.containsKey("$filter")) {
      try {
        filter = ODataFilter.parse(q.get("$filter"), fields, collections);
      } catch (FilterException e) {
        violations.add(Violation.query("$filter", "unsupported $filter: " + e.getMessage()));
      }
    }
    int page = intParam(q, "$page", 0, 0, Integer.MAX_VALUE, violations);
    int limit = intParam(q, "$limit", DEFAULT_LIMIT, 1, MAX_LIMIT, violations);
    if (!violations.isEmpty()) {
      throw Envelopes.invalid(c.ns, violations);
    }
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode n : items) {
      if (filter == null || filter.matches(n)) {
        matching.add(n);
      }
    }
    long from = (long) page * limit;
    List<ObjectNode> pageItems =
        from >= matching.size()
            ? List.of()
            : matching.subList((int) from, (int) Math.min(matching.size(), from + limit));
    return HttpResult.json(
        200, Envelopes.list(c.responseType, pageItems, matching.size(), c.selfHref()));
  }

  private static int intParam(
      Map<String, String> q,
      String name,
      int fallback,
      int min,
      int max,
      List<Violation> violations) {
    String s = q.get(name);
    if (s == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(s.trim());
      if (v < min || v > max) {
        violations.add(
            Violation.query(name, "must be between " + min + " and " + max + ", was " + v));
        return fallback;
      }
      return v;
    } catch (NumberFormatException e) {
      violations.add(Violation.query(name, "must be an integer, was '" + s + "'"));
      return fallback;
    }
  }

  // ------------------------------------------------------------------ seeded entities

  private HttpResult listStatic(Call c) {
    List<ObjectNode> items = new ArrayList<>();
    synchronized (store) {
      switch (c.ns) {
        case VMM -> store.images.values().forEach(i -> items.add(render(i)));
        case NETWORKING -> store.subnets.values().forEach(s -> items.add(render(s)));
        default -> store.clusters.values().forEach(k -> items.add(render(k)));
      }
    }
    return list(c, items, Set.of("name"), Set.of());
  }

  private HttpResult getStatic(Call c) {
    String id = c.param("extId");
    synchronized (store) {
      switch (c.ns) {
        case VMM -> {
          PrismImage i = store.images.get(id);
          if (i == null) {
            throw notFound(c, "Image", id);
          }
          return entity(c, render(i));
        }
        case NETWORKING -> {
          PrismSubnet s = store.subnets.get(id);
          if (s == null) {
            throw notFound(c, "Subnet", id);
          }
          return entity(c, render(s));
        }
        default -> {
          PrismCluster k = store.clusters.get(id);
          if (k == null) {
            throw notFound(c, "Cluster", id);
          }
          return entity(c, render(k));
        }
      }
    }
  }

  // ------------------------------------------------------------------ tasks

  private HttpResult getTask(Call c) {
    String id = c.param("extId");
    synchronized (store) {
      TaskEntity t = store.tasks.get(id);
      if (t == null) {
        throw notFound(c, "Task", id);
      }
      return entity(c, t.toJson());
    }
  }

  // ------------------------------------------------------------------ categories

  private HttpResult listCategories(Call c) {
    List<ObjectNode> items = new ArrayList<>();
    synchronized (store) {
      store.categories.values().forEach(k -> items.add(render(k)));
    }
    return list(c, items, Set.of("key", "value"), Set.of());
  }

  private HttpResult getCategory(Call c) {
    String id = c.param("extId");
    synchronized (store) {
      PrismCategory k = store.categories.get(id);
      if (k == null) {
        throw notFound(c, "Category", id);
      }
      return entity(c, render(k));
    }
  }

  private HttpResult createCategory(Call c) {
    JsonNode body = c.jsonObject(false);
    BodyChecker check = new BodyChecker();
    String key = check.string(body, "", "key", true, CATEGORY_MAX);
    String value = check.string(body, "", "value", true, CATEGORY_MAX);
    String description = check.string(body, "", "description", false, 1000);
    check.throwIfInvalid(c.ns);
    synchronized (store) {
      for (PrismCategory k : store.categories.values()) {
        if (k.key().equals(key) && k.value().equals(value)) {
          throw Envelopes.error(
              c.ns,
              c.responseType,
              409,
              new AppMessage(
                  c.ns.code(50035),
                  "CATEGORY_ALREADY_EXISTS",
                  "Category with key '" + key + "' and value '" + value + "' already exists.",
                  Map.of("key", key, "value", value, "extId", k.extId())));
        }
      }
      PrismCategory k = new PrismCategory(PrismStore.newId(), key, value, description);
      store.categories.put(k.extId(), k);
      ObjectNode data = render(k);
      return HttpResult.json(201, Envelopes.single(c.responseType, data, c.selfHref()))
          .withHeader("ETag", PrismStore.fixedEtag(k.extId()));
    }
  }

  private HttpResult deleteCategory(Call c) {
    String ifMatch = requireIfMatch(c);
    String id = c.param("extId");
    synchronized (store) {
      PrismCategory k = store.categories.get(id);
      if (k == null) {
        throw notFound(c, "Category", id);
      }
      String etag = PrismStore.fixedEtag(id);
      if (!Etags.matches(ifMatch, etag)) {
        throw etagMismatch(c, ifMatch, etag, id);
      }
      if (store.categoryInUse(id)) {
        throw Envelopes.error(
            c.ns,
            c.responseType,
            409,
            new AppMessage(
                c.ns.code(50036),
                "CATEGORY_IN_USE",
                "Category '"
                    + k.key()
                    + "/"
                    + k.value()
                    + "' is associated with entities and cannot be deleted.",
                Map.of("extId", id)));
      }
      store.categories.remove(id);
      return HttpResult.noContent();
    }
  }

  // ------------------------------------------------------------------ VMs

  private HttpResult listVms(Call c) {
    List<ObjectNode> items = new ArrayList<>();
    synchronized (store) {
      store.visibleVms().forEach(vm -> items.add(vm.toJson()));
    }
    return list(c, items, Set.of("name"), Set.of("categories/extId"));
  }

  private HttpResult getVm(Call c) {
    String id = c.param("extId");
    synchronized (store) {
      VmEntity vm = store.visibleVm(id).orElseThrow(() -> notFound(c, "VM", id));
      return entity(c, vm.toJson());
    }
  }

  private HttpResult createVm(Call c) {
    VmBodies.VmSpec spec = VmBodies.parseCreate(c.jsonObject(false));
    synchronized (store) {
      checkReferences(c, spec.clusterExtId(), spec.categories(), spec);
      String id = PrismStore.newId();
      List<ObjectNode> disks = disks(spec);
      List<VmEntity.Nic> nics = new ArrayList<>();
      for (VmBodies.NicSpec n : spec.nics()) {
        nics.add(
            new VmEntity.Nic(
                PrismStore.newId(),
                store.nextMac(),
                n.subnetExtId(),
                n.nicType(),
                n.vlanMode(),
                store.nextAddress()));
      }
      VmEntity vm = new VmEntity(id, spec, disks, nics, store.now());
      store.vms.put(id, vm);
      TaskEntity t =
          engine.submit(
              "CreateVm",
              "Create VM",
              List.of(new Ref(id, VM_REL, vm.name)),
              Completion.of(
                  task -> {
                    vm.created = true;
                    vm.activeTask = null;
                    vm.createTime = store.now();
                    store.touch(vm);
                    task.completionDetails.add(new AbstractMap.SimpleEntry<>("vmExtId", id));
                    return null;
                  },
                  () -> store.vms.remove(id)));
      vm.activeTask = t.extId;
      return accepted(c, t);
    }
  }

  private List<ObjectNode> disks(VmBodies.VmSpec spec) {
    List<ObjectNode> out = new ArrayList<>();
    Map<String, Long> nextIndex = new HashMap<>();
    for (VmBodies.DiskSpec d : spec.disks()) {
      String bus = d.busType() == null ? "SCSI" : d.busType();
      long index = d.index() == null ? nextIndex.getOrDefault(bus, 0L) : d.index();
      nextIndex.merge(bus, index + 1, Math::max);
      ObjectNode n = PrismJson.object();
      n.put("extId", PrismStore.newId());
      n.putObject("diskAddress").put("busType", bus).put("index", index);
      ObjectNode backing = n.putObject("backingInfo");
      backing.put("$objectType", VmBodies.VM_DISK);
      backing.put("diskExtId", PrismStore.newId());
      long size = d.sizeBytes() != null ? d.sizeBytes() : 0;
      if (d.imageExtId() != null) {
        PrismImage image = store.images.get(d.imageExtId());
        if (d.sizeBytes() == null && image != null) {
          size = image.sizeBytes();
        }
      }
      backing.put("diskSizeBytes", size);
      if (d.imageExtId() != null) {
        backing
            .putObject("dataSource")
            .putObject("reference")
            .put("$objectType", VmBodies.IMAGE_REFERENCE)
            .put("imageExtId", d.imageExtId());
      }
      out.add(n);
    }
    return out;
  }

  /** 422 for references to unknown clusters, subnets, images or categories. */
  private void checkReferences(
      Call c,
      @Nullable String clusterExtId,
      List<String> categories,
      VmBodies.@Nullable VmSpec spec) {
    List<AppMessage> errors = new ArrayList<>();
    Namespace ns = c.ns;
    if (clusterExtId != null) {
      PrismCluster cluster = store.clusters.get(clusterExtId);
      if (cluster == null) {
        errors.add(
            invalidReference(
                ns,
                "cluster.extId",
                clusterExtId,
                "Cluster with extId '" + clusterExtId + "' does not exist."));
      } else if (cluster.isPrismCentral()) {
        errors.add(
            invalidReference(
                ns,
                "cluster.extId",
                clusterExtId,
                "Cluster '" + cluster.name() + "' is Prism Central and cannot host VMs."));
      }
    }
    for (int i = 0; i < categories.size(); i++) {
      String id = categories.get(i);
      if (!store.categories.containsKey(id)) {
        errors.add(
            invalidReference(
                ns,
                "categories[" + i + "].extId",
                id,
                "Category with extId '" + id + "' does not exist."));
      }
    }
    if (spec != null) {
      for (int i = 0; i < spec.disks().size(); i++) {
        String image = spec.disks().get(i).imageExtId();
        if (image != null && !store.images.containsKey(image)) {
          errors.add(
              invalidReference(
                  ns,
                  "disks[" + i + "].backingInfo.dataSource.reference.imageExtId",
                  image,
                  "Image with extId '" + image + "' does not exist."));
        }
      }
      for (int i = 0; i < spec.nics().size(); i++) {
        String subnetId = spec.nics().get(i).subnetExtId();
        PrismSubnet subnet = store.subnets.get(subnetId);
        String attr = "nics[" + i + "].networkInfo.subnet.extId";
        if (subnet == null) {
          errors.add(
              invalidReference(
                  ns, attr, subnetId, "Subnet with extId '" + subnetId + "' does not exist."));
        } else if (!subnet.clusterExtId().equals(clusterExtId)) {
          errors.add(
              invalidReference(
                  ns,
                  attr,
                  subnetId,
                  "Subnet '"
                      + subnet.name()
                      + "' does not belong to cluster '"
                      + clusterExtId
                      + "'."));
        }
      }
    }
    throwIfInvalidReferences(c, errors);
  }

  /**
   * The VM a mutation acts on: 404 when it does not exist, 412 when {@code If-Match} is stale
   * (after a racing writer, if one is scripted), 409 while another of its tasks is pending.
   */
  private VmEntity mutableVm(Call c, String ifMatch) {
    String id = c.param("extId");
    VmEntity vm = store.visibleVm(id).orElseThrow(() -> notFound(c, "VM", id));
    if (Etags.matches(ifMatch, vm.etag) && faults.takeRace(id)) {
      store.touch(vm);
    }
    if (!Etags.matches(ifMatch, vm.etag)) {
      throw etagMismatch(c, ifMatch, vm.etag, id);
    }
    if (vm.deleting) {
      throw conflict(c, id, "VM '" + id + "' is being deleted.");
    }
    if (vm.activeTask != null) {
      throw conflict(
          c,
          id,
          "Operation cannot be performed on VM '"
              + id
              + "' while another operation (task '"
              + vm.activeTask
              + "') is in progress.");
    }
    return vm;
  }

  /** Submits a task on a VM; the VM is busy (409 to other mutations) until it ends. */
  private HttpResult vmTask(
      Call c,
      VmEntity vm,
      String operation,
      String description,
      Function<TaskEntity, @Nullable AppMessage> change) {
    TaskEntity t =
        engine.submit(
            operation,
            description,
            List.of(new Ref(vm.extId, VM_REL, vm.name)),
            Completion.of(
                task -> {
                  AppMessage error = change.apply(task);
                  if (error == null) {
                    vm.activeTask = null;
                  }
                  return error;
                },
                () -> vm.activeTask = null));
    vm.activeTask = t.extId;
    return accepted(c, t);
  }

  private HttpResult updateVm(Call c) {
    String ifMatch = requireIfMatch(c);
    VmBodies.VmUpdate u = VmBodies.parseUpdate(c.jsonObject(false), c.param("extId"));
    synchronized (store) {
      VmEntity vm = mutableVm(c, ifMatch);
      checkReferences(c, null, u.categories() == null ? List.of() : u.categories(), null);
      return vmTask(
          c,
          vm,
          "UpdateVm",
          "Update VM",
          task -> {
            if (u.name() != null) {
              vm.name = u.name();
            }
            if (u.description() != null) {
              vm.description = u.description();
            }
            if (u.numSockets() != null) {
              vm.numSockets = u.numSockets();
            }
            if (u.numCoresPerSocket() != null) {
              vm.numCoresPerSocket = u.numCoresPerSocket();
            }
            if (u.numThreadsPerCore() != null) {
              vm.numThreadsPerCore = u.numThreadsPerCore();
            }
            if (u.memorySizeBytes() != null) {
              vm.memorySizeBytes = u.memorySizeBytes();
            }
            if (u.categories() != null) {
              vm.categories = new ArrayList<>(u.categories());
            }
            store.touch(vm);
            return null;
          });
    }
  }

  private HttpResult deleteVm(Call c) {
    String ifMatch = requireIfMatch(c);
    synchronized (store) {
      VmEntity vm = mutableVm(c, ifMatch);
      vm.deleting = true;
      TaskEntity t =
          engine.submit(
              "DeleteVm",
              "Delete VM",
              List.of(new Ref(vm.extId, VM_REL, vm.name)),
              Completion.of(
                  task -> {
                    vm.shutDownGuest();
                    store.vms.remove(vm.extId);
                    return null;
                  },
                  () -> {
                    vm.deleting = false;
                    vm.activeTask = null;
                  }));
      vm.activeTask = t.extId;
      return accepted(c, t);
    }
  }

  private HttpResult power(Call c, boolean on) {
    String ifMatch = requireIfMatch(c);
    c.jsonObject(true);
    synchronized (store) {
      VmEntity vm = mutableVm(c, ifMatch);
      return vmTask(
          c,
          vm,
          on ? "PowerOnVm" : "PowerOffVm",
          on ? "Power on VM" : "Power off VM",
          task -> {
            if (on && !vm.powerState.equals("ON")) {
              vm.powerState = "ON";
              int generation = ++vm.bootGeneration;
              store.touch(vm);
              engine.later(bootDelay, () -> boot(vm, generation));
            } else if (!on && vm.powerState.equals("ON")) {
              vm.shutDownGuest();
              store.touch(vm);
            }
            return null;
          });
    }
  }

  /** The guest finished booting: its NICs learn their addresses, the tools become reachable. */
  private void boot(VmEntity vm, int generation) {
    if (store.vms.get(vm.extId) != vm
        || vm.bootGeneration != generation
        || !vm.powerState.equals("ON")) {
      return;
    }
    if (faults.bootBlocked(vm.extId)) {
      engine.later(BOOT_RECHECK, () -> boot(vm, generation));
      return;
    }
    vm.nics.forEach(n -> n.learned = true);
    vm.guestReachable = true;
    store.touch(vm);
  }

  private HttpResult revertVm(Call c) {
    String ifMatch = requireIfMatch(c);
    JsonNode body = c.jsonObject(false);
    BodyChecker check = new BodyChecker();
    String pointId = check.uuid(body, "", "vmRecoveryPointExtId");
    check.throwIfInvalid(c.ns);
    synchronized (store) {
      VmEntity vm = mutableVm(c, ifMatch);
      RecoveryPointEntity.VmPoint point = null;
      for (RecoveryPointEntity rp : store.recoveryPoints.values()) {
        for (RecoveryPointEntity.VmPoint p : rp.vmPoints) {
          if (rp.created && p.extId.equals(pointId) && p.vmExtId.equals(vm.extId)) {
            point = p;
          }
        }
      }
      if (point == null || point.config == null) {
        throwIfInvalidReferences(
            c,
            List.of(
                invalidReference(
                    c.ns,
                    "vmRecoveryPointExtId",
                    pointId,
                    "VM recovery point '"
                        + pointId
                        + "' does not exist for VM '"
                        + vm.extId
                        + "'.")));
      }
      VmEntity.Config config = point.config;
      return vmTask(
          c,
          vm,
          "RevertVm",
          "Revert VM",
          task -> {
            vm.shutDownGuest();
            vm.restore(config);
            vm.categories.removeIf(k -> !store.categories.containsKey(k));
            store.touch(vm);
            return null;
          });
    }
  }

  // ------------------------------------------------------------------ recovery points

  private HttpResult createRecoveryPoint(Call c) {
    JsonNode body = c.jsonObject(false);
    BodyChecker check = new BodyChecker();
    String name = check.string(body, "", "name", true, VmBodies.NAME_MAX);
    String type =
        check.enumeration(
            body,
            "",
            "recoveryPointType",
            Set.of("CRASH_CONSISTENT", "APPLICATION_CONSISTENT"),
            "CRASH_CONSISTENT");
    List<String> vmIds = new ArrayList<>();
    JsonNode points = check.array(body, "", "vmRecoveryPoints");
    if (points == null || points.isEmpty()) {
      if (points != null || !body.has("vmRecoveryPoints")) {
        check.add("vmRecoveryPoints", "must contain at least one VM recovery point");
      }
    } else {
      for (int i = 0; i < points.size(); i++) {
        JsonNode p = points.get(i);
        if (!p.isObject()) {
          check.add("vmRecoveryPoints[" + i + "]", "must be an object");
          continue;
        }
        String vmId = check.uuid(p, "vmRecoveryPoints[" + i + "]", "vmExtId");
        if (vmId != null) {
          vmIds.add(vmId);
        }
      }
    }
    check.throwIfInvalid(c.ns);
    synchronized (store) {
      List<AppMessage> errors = new ArrayList<>();
      for (int i = 0; i < vmIds.size(); i++) {
        String vmId = vmIds.get(i);
        if (store.visibleVm(vmId).isEmpty()) {
          errors.add(
              invalidReference(
                  c.ns,
                  "vmRecoveryPoints[" + i + "].vmExtId",
                  vmId,
                  "VM with extId '" + vmId + "' does not exist."));
        }
      }
      throwIfInvalidReferences(c, errors);
      List<RecoveryPointEntity.VmPoint> vmPoints = new ArrayList<>();
      List<Ref> refs = new ArrayList<>();
      String id = PrismStore.newId();
      refs.add(new Ref(id, RECOVERY_POINT_REL, name));
      for (String vmId : vmIds) {
        vmPoints.add(new RecoveryPointEntity.VmPoint(PrismStore.newId(), vmId));
        refs.add(new Ref(vmId, VM_REL, store.vms.get(vmId).name));
      }
      RecoveryPointEntity rp = new RecoveryPointEntity(id, name, type, store.now(), vmPoints);
      store.recoveryPoints.put(id, rp);
      TaskEntity t =
          engine.submit(
              "CreateRecoveryPoint",
              "Create recovery point",
              refs,
              Completion.of(
                  task -> {
                    for (RecoveryPointEntity.VmPoint p : rp.vmPoints) {
                      VmEntity vm = store.visibleVm(p.vmExtId).orElse(null);
                      if (vm == null) {
                        return new AppMessage(
                            Namespace.DATAPROTECTION.code(20005),
                            "ENTITY_NOT_FOUND",
                            "VM with extId '" + p.vmExtId + "' does not exist.",
                            Map.of("extId", p.vmExtId));
                      }
                    }
                    for (RecoveryPointEntity.VmPoint p : rp.vmPoints) {
                      p.config = store.vms.get(p.vmExtId).config();
                    }
                    rp.created = true;
                    rp.activeTask = null;
                    rp.etag = store.nextEtag(id);
                    task.completionDetails.add(
                        new AbstractMap.SimpleEntry<>("recoveryPointExtId", id));
                    return null;
                  },
                  () -> store.recoveryPoints.remove(id)));
      rp.activeTask = t.extId;
      return accepted(c, t);
    }
  }

  private HttpResult listRecoveryPoints(Call c) {
    List<ObjectNode> items = new ArrayList<>();
    synchronized (store) {
      for (RecoveryPointEntity rp : store.recoveryPoints.values()) {
        if (rp.created) {
          items.add(rp.toJson());
        }
      }
    }
    return list(c, items, Set.of("name"), Set.of());
  }

  private HttpResult getRecoveryPoint(Call c) {
    String id = c.param("extId");
    synchronized (store) {
      RecoveryPointEntity rp =
          store.visibleRecoveryPoint(id).orElseThrow(() -> notFound(c, "Recovery point", id));
      return entity(c, rp.toJson());
    }
  }

  private HttpResult deleteRecoveryPoint(Call c) {
    String ifMatch = requireIfMatch(c);
    String id = c.param("extId");
    synchronized (store) {
      RecoveryPointEntity rp =
          store.visibleRecoveryPoint(id).orElseThrow(() -> notFound(c, "Recovery point", id));
      if (!Etags.matches(ifMatch, rp.etag)) {
        throw etagMismatch(c, ifMatch, rp.etag, id);
      }
      if (rp.deleting || rp.activeTask != null) {
        throw conflict(c, id, "Recovery point '" + id + "' is being deleted.");
      }
      rp.deleting = true;
      TaskEntity t =
          engine.submit(
              "DeleteRecoveryPoint",
              "Delete recovery point",
              List.of(new Ref(id, RECOVERY_POINT_REL, rp.name)),
              Completion.of(
                  task -> {
                    store.recoveryPoints.remove(id);
                    return null;
                  },
                  () -> {
                    rp.deleting = false;
                    rp.activeTask = null;
                  }));
      rp.activeTask = t.extId;
      return accepted(c, t);
    }
  }
}
