package io.convergence.nutanix.prism;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convergence.nutanix.prism.internal.Bodies;
import io.convergence.nutanix.prism.internal.Encoding;
import io.convergence.nutanix.prism.internal.Json;
import io.convergence.nutanix.prism.internal.Pacer;
import io.convergence.nutanix.prism.internal.PrismRequest;
import io.convergence.nutanix.prism.internal.PrismResponse;
import io.convergence.nutanix.prism.internal.PrismTransport;
import io.convergence.spi.TlsContexts;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Prism Central v4 REST client on {@code java.net.http} and Jackson, with no Nutanix SDK. It
 * speaks the subset of the v4.0 API in {@code docs/nutanix-prism-v4-wire.md}: clusters, subnets and
 * images by name; categories; VMs (create, read, list by category, power, delete, revert); recovery
 * points; tasks.
 *
 * <h2>Usage</h2>
 *
 * <pre>{@code
 * PrismConfig config = PrismConfig.builder(URI.create("https://pc.example.com:9440"))
 *     .basicAuth("lab-admin", SecretValue.fromEnv("NUTANIX_PASSWORD"))
 *     .trustCertificates(Path.of("/etc/lab/pc-ca.pem"))
 *     .build();
 * try (PrismClient pc = PrismClient.create(config)) {
 *   Cluster cluster = pc.findCluster("lab-cluster-1");
 *   Subnet subnet = pc.findSubnet("vlan-129", cluster.extId());
 *   Image image = pc.findImage("ubuntu-24.04-cloudimg");
 *   Category lab = pc.ensureCategory("ConvergenceLab", "run-42", "convergence lab run-42");
 *
 *   Task created = pc.createVm(
 *           VmCreateSpec.builder("lab-tester-1a2b", cluster.extId())
 *               .cpu(2, 1, 1)
 *               .memoryMib(8192)
 *               .category(lab.extId())
 *               .bootDiskFromImage(image.extId(), 40L << 30)
 *               .nic(subnet.extId())
 *               .cloudInit(userData)
 *               .build())
 *       .await();
 *   String vmExtId = created.vmExtId().orElseThrow();
 *   pc.powerOnVm(vmExtId).await();
 *   Vm vm = pc.getVm(vmExtId); // vm.ipAddresses() once the guest has booted
 *
 *   for (Vm leftover : pc.listVmsByCategory(lab.extId())) {
 *     pc.deleteVm(leftover.extId()).await();
 *   }
 *   pc.deleteCategory(lab.extId());
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li><b>Authentication</b>: Basic or {@code X-ntnx-api-key} until Prism Central sets the {@code
 *       NTNX_IGW_SESSION} cookie, then the cookie alone. When the cookie is refused (401), the
 *       client drops it and repeats the call once with the credentials.
 *   <li><b>Retries</b>: connection failures and HTTP 408/429/500/502/503/504 are retried up to
 *       {@link PrismConfig#maxAttempts()} sends with exponential backoff and jitter, honouring
 *       {@code Retry-After}. Every mutation carries an {@code NTNX-Request-Id} that stays the same
 *       on these retries, so Prism Central acts on it at most once.
 *   <li><b>ETags</b>: VM power, delete and revert, category delete and recovery point delete read a
 *       fresh ETag and send it as {@code If-Match}. On 412 ({@code VMM-30303 VM_ETAG_MISMATCH}) or
 *       428, or a task failing with {@code VM_ETAG_MISMATCH} (see {@link PrismTask}), they read it
 *       again and resend, at most {@link PrismConfig#etagRetries()} times.
 *   <li><b>Tasks</b>: mutations answered with 202 return a {@link PrismTask}; {@link
 *       PrismTask#await()} polls with a doubling pause up to {@link PrismConfig#taskPollMax()}
 *       until the task ends or {@link PrismConfig#taskTimeout()} passes.
 *   <li><b>Errors</b>: {@link PrismException} and its subtypes, classified by HTTP status, then
 *       {@code errorGroup}; the message always names code, error group and Prism's message.
 *   <li><b>Secrets</b>: passwords, API keys, cookies and guest customization payloads never appear
 *       in logs, messages or {@code toString()}.
 * </ul>
 *
 * <p>Thread-safe. Creating the client sends no request.
 *
 * @since 0.1.0
 */
public final class PrismClient implements AutoCloseable {
  /** The VMs collection: {@value}. */
  public static final String VMS = "/api/vmm/v4.0/ahv/config/vms";

  /** The images collection: {@value}. */
  public static final String IMAGES = "/api/vmm/v4.0/content/images";

  /** The tasks collection: {@value}. */
  public static final String TASKS = "/api/prism/v4.0/config/tasks";

  /** The categories collection: {@value}. */
  public static final String CATEGORIES = "/api/prism/v4.0/config/categories";

  /** The subnets collection: {@value}. */
  public static final String SUBNETS = "/api/networking/v4.0/config/subnets";

  /** The clusters collection: {@value}. */
  public static final String CLUSTERS = "/api/clustermgmt/v4.0/config/clusters";

  /** The recovery points collection: {@value}. */
  public static final String RECOVERY_POINTS = "/api/dataprotection/v4.0/config/recovery-points";

  /** The page size of list calls ({@code $limit}): {@value}, the largest Prism Central allows. */
  public static final int PAGE_SIZE = 100;

  /** The longest category key or value: {@value} characters. */
  public static final int MAX_CATEGORY_LENGTH = 64;

  private static final Logger log = LoggerFactory.getLogger(PrismClient.class);
  private static final int MAX_PAGES = 10_000;
  private static final int MAX_NAMES_SHOWN = 20;

  private final PrismConfig config;
  private final PrismTransport transport;
  private final Pacer pacer;
  private volatile boolean closed;

  private PrismClient(PrismConfig config, PrismTransport transport, Pacer pacer) {
    this.config = config;
    this.transport = transport;
    this.pacer = pacer;
  }

  /**
   * Creates a client: sets up TLS and reveals the configured secret. Sends no request.
   *
   * @param config where and how to connect
   * @return the client
   */
  public static PrismClient create(PrismConfig config) {
    return create(config, Pacer.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** For tests: a clock/sleeper and jitter source of their own. */
  static PrismClient create(PrismConfig config, Pacer pacer, DoubleSupplier jitter) {
    requireNonNull(config, "config");
    if (config.insecure()) {
      log.warn(
          "TLS certificate and host name verification is OFF for {} "
              + "(insecureSkipTlsVerification): use this only with throwaway lab servers",
          config.endpoint());
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(TlsContexts.sslContext(config.trustStore().orElse(null), config.insecure()))
            .build();
    return new PrismClient(config, new PrismTransport(config, http, pacer, jitter), pacer);
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public PrismConfig config() {
    return config;
  }

  Pacer pacer() {
    return pacer;
  }

  // ------------------------------------------------------------------ clusters, subnets, images

  /**
   * Every cluster that can host VMs (Prism Central's own pseudo-cluster left out).
   *
   * @return the clusters
   */
  public List<Cluster> listClusters() {
    return list("list clusters", CLUSTERS, null, Cluster.class).stream()
        .filter(c -> !c.isPrismCentral())
        .toList();
  }

  /**
   * Finds the cluster with this name ({@code $filter=name eq '…'}), Prism Central's own
   * pseudo-cluster left out.
   *
   * @param name the cluster's name
   * @return the cluster
   * @throws PrismNotFoundException when none has the name; the message lists the clusters there
   * @throws PrismAmbiguousNameException when several have it
   */
  public Cluster findCluster(String name) {
    return findByName(
        "cluster",
        CLUSTERS,
        name,
        Cluster.class,
        Cluster::name,
        Cluster::extId,
        c -> !c.isPrismCentral());
  }

  /**
   * Every subnet.
   *
   * @return the subnets
   */
  public List<Subnet> listSubnets() {
    return list("list subnets", SUBNETS, null, Subnet.class);
  }

  /**
   * Finds the subnet with this name.
   *
   * @param name the subnet's name
   * @return the subnet
   * @throws PrismNotFoundException when none has the name; the message lists the subnets there
   * @throws PrismAmbiguousNameException when several have it (e.g. a VLAN subnet per cluster)
   */
  public Subnet findSubnet(String name) {
    return findByName(
        "subnet", SUBNETS, name, Subnet.class, Subnet::name, Subnet::extId, s -> true);
  }

  /**
   * Finds the subnet with this name on a cluster.
   *
   * @param name the subnet's name
   * @param clusterExtId the cluster's extId ({@link Subnet#clusterReference()})
   * @return the subnet
   * @throws PrismNotFoundException when none on the cluster has the name
   * @throws PrismAmbiguousNameException when several have it
   */
  public Subnet findSubnet(String name, String clusterExtId) {
    requireNonNull(clusterExtId, "clusterExtId");
    return findByName(
        "subnet",
        SUBNETS,
        name,
        Subnet.class,
        Subnet::name,
        Subnet::extId,
        s -> clusterExtId.equals(s.clusterReference()));
  }

  /**
   * Every image.
   *
   * @return the images
   */
  public List<Image> listImages() {
    return list("list images", IMAGES, null, Image.class);
  }

  /**
   * Finds the image with this name.
   *
   * @param name the image's name
   * @return the image
   * @throws PrismNotFoundException when none has the name; the message lists the images there
   * @throws PrismAmbiguousNameException when several have it
   */
  public Image findImage(String name) {
    return findByName("image", IMAGES, name, Image.class, Image::name, Image::extId, i -> true);
  }

  // ------------------------------------------------------------------ categories

  /**
   * Finds a category by key and value ({@code $filter=key eq '…' and value eq '…'}).
   *
   * @param key the key, e.g. {@code ConvergenceLab}
   * @param value the value, e.g. {@code run-42}
   * @return the category, if it exists
   */
  public Optional<Category> findCategory(String key, String value) {
    checkCategory(key, value);
    String filter =
        "key eq " + Encoding.odataString(key) + " and value eq " + Encoding.odataString(value);
    return list("find category " + key + "=" + value, CATEGORIES, filter, Category.class).stream()
        .filter(c -> key.equals(c.key()) && value.equals(c.value()))
        .findFirst();
  }

  /**
   * Lists the categories of a key ({@code $filter=key eq '…'}), every page.
   *
   * @param key the key, e.g. {@code ConvergenceLab}
   * @return its values' categories
   */
  public List<Category> listCategories(String key) {
    String filter = "key eq " + Encoding.odataString(key);
    return list("list categories " + key, CATEGORIES, filter, Category.class).stream()
        .filter(c -> key.equals(c.key()))
        .toList();
  }

  /**
   * Finds a category, or creates it ({@code POST /categories}) when it does not exist. Safe against
   * a concurrent creation: on 409 the category is read again.
   *
   * @param key the key, 1 to 64 characters
   * @param value the value, 1 to 64 characters
   * @param description the description for a new category, or {@code null}
   * @return the category
   */
  public Category ensureCategory(String key, String value, @Nullable String description) {
    Optional<Category> existing = findCategory(key, value);
    if (existing.isPresent()) {
      return existing.get();
    }
    String op = "create category " + key + "=" + value;
    try {
      PrismResponse res =
          send(
              PrismRequest.mutation(
                  op,
                  "POST",
                  CATEGORIES,
                  Bodies.bytes(Bodies.category(key, value, description)),
                  null,
                  false));
      JsonNode data = envelope(op, res).path("data");
      if (data.isObject() && data.hasNonNull("extId")) {
        return convert(op, data, Category.class);
      }
      return findCategory(key, value)
          .orElseThrow(
              () ->
                  new PrismTransportException(
                      op,
                      null,
                      res.status(),
                      "created, but the answer has no extId and the category cannot be found",
                      "",
                      null));
    } catch (PrismConflictException e) {
      log.debug("{}: {}; reading the category created meanwhile", op, e.getMessage());
      return findCategory(key, value).orElseThrow(() -> e);
    }
  }

  /**
   * Deletes a category ({@code DELETE /categories/{extId}} with {@code If-Match}).
   *
   * @param extId the category's extId
   * @throws PrismConflictException when an entity is still tagged with it
   * @throws PrismNotFoundException when it does not exist
   */
  public void deleteCategory(String extId) {
    String path = CATEGORIES + "/" + Encoding.segment(extId);
    String op = "delete category " + extId;
    sendWithEtag(
        op,
        path,
        etag -> PrismRequest.mutation(op, "DELETE", path, null, etag, false),
        new EtagBudget(config.etagRetries()));
  }

  private static void checkCategory(String key, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    if (key.isEmpty() || key.length() > MAX_CATEGORY_LENGTH) {
      throw new IllegalArgumentException("a category key has 1 to 64 characters: '" + key + "'");
    }
    if (value.isEmpty() || value.length() > MAX_CATEGORY_LENGTH) {
      throw new IllegalArgumentException(
          "a category value has 1 to 64 characters: '" + value + "'");
    }
  }

  // ------------------------------------------------------------------ VMs

  /**
   * Starts creating a VM ({@code POST /vms}). The VM is created powered off; power it on with
   * {@link #powerOnVm(String)} once the task succeeded. The guest customization payload is checked
   * against Prism's size limits before anything is sent, and never logged.
   *
   * @param spec the VM
   * @return the task; {@link Task#vmExtId()} of the finished task names the VM
   * @throws IllegalArgumentException when the guest customization payload is too large
   */
  public PrismTask createVm(VmCreateSpec spec) {
    requireNonNull(spec, "spec");
    ensureOpen();
    byte[] body = Bodies.bytes(Bodies.createVm(spec));
    String op = "create VM " + spec.name();
    PrismResponse res = send(PrismRequest.mutation(op, "POST", VMS, body, null, true));
    return new PrismTask(this, op, taskExtId(op, res), null);
  }

  /**
   * Reads a VM ({@code GET /vms/{extId}}), with its ETag.
   *
   * @param extId the VM's extId
   * @return the VM
   * @throws PrismNotFoundException when it does not exist
   */
  public Vm getVm(String extId) {
    return getEntity("get VM " + extId, VMS + "/" + Encoding.segment(extId), Vm.class);
  }

  /**
   * Reads a VM, if it exists.
   *
   * @param extId the VM's extId
   * @return the VM, or empty on 404
   */
  public Optional<Vm> findVm(String extId) {
    try {
      return Optional.of(getVm(extId));
    } catch (PrismNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Lists the VMs tagged with a category ({@code $filter=categories/any(c:c/extId eq '…')}), every
   * page.
   *
   * @param categoryExtId the category's extId
   * @return the VMs
   */
  public List<Vm> listVmsByCategory(String categoryExtId) {
    requireNonNull(categoryExtId, "categoryExtId");
    return list(
        "list VMs in category " + categoryExtId,
        VMS,
        "categories/any(c:c/extId eq " + Encoding.odataString(categoryExtId) + ")",
        Vm.class);
  }

  /**
   * Starts powering a VM on ({@code POST /vms/{extId}/$actions/power-on} with {@code If-Match}).
   *
   * @param extId the VM's extId
   * @return the task
   */
  public PrismTask powerOnVm(String extId) {
    return vmTask("power on VM " + extId, extId, "POST", "/$actions/power-on", Bodies.empty());
  }

  /**
   * Starts powering a VM off, hard ({@code POST /vms/{extId}/$actions/power-off} with {@code
   * If-Match}).
   *
   * @param extId the VM's extId
   * @return the task
   */
  public PrismTask powerOffVm(String extId) {
    return vmTask("power off VM " + extId, extId, "POST", "/$actions/power-off", Bodies.empty());
  }

  /**
   * Starts deleting a VM ({@code DELETE /vms/{extId}} with {@code If-Match}); a running VM is
   * powered off by Prism Central. The VM stays readable until the task succeeded.
   *
   * @param extId the VM's extId
   * @return the task
   */
  public PrismTask deleteVm(String extId) {
    return vmTask("delete VM " + extId, extId, "DELETE", "", null);
  }

  /**
   * Starts reverting a VM to a recovery point ({@code POST /vms/{extId}/$actions/revert} with
   * {@code If-Match}).
   *
   * @param vmExtId the VM's extId
   * @param vmRecoveryPointExtId the VM recovery point ({@link
   *     RecoveryPoint.VmRecoveryPoint#extId()})
   * @return the task
   */
  public PrismTask revertVm(String vmExtId, String vmRecoveryPointExtId) {
    requireNonNull(vmRecoveryPointExtId, "vmRecoveryPointExtId");
    return vmTask(
        "revert VM " + vmExtId,
        vmExtId,
        "POST",
        "/$actions/revert",
        Bodies.revert(vmRecoveryPointExtId));
  }

  private PrismTask vmTask(
      String op, String vmExtId, String method, String suffix, @Nullable ObjectNode body) {
    String entityPath = VMS + "/" + Encoding.segment(vmExtId);
    return etagTask(op, entityPath, method, entityPath + suffix, body);
  }

  // ------------------------------------------------------------------ recovery points

  /**
   * Starts taking a crash-consistent recovery point (snapshot) of VMs ({@code POST
   * /recovery-points}).
   *
   * @param name the recovery point's name
   * @param vmExtIds the VMs
   * @return the task; {@link Task#recoveryPointExtId()} of the finished task names it
   */
  public PrismTask createRecoveryPoint(String name, List<String> vmExtIds) {
    requireNonNull(name, "name");
    if (vmExtIds.isEmpty()) {
      throw new IllegalArgumentException("a recovery point needs at least one VM");
    }
    ensureOpen();
    String op = "create recovery point " + name;
    PrismResponse res =
        send(
            PrismRequest.mutation(
                op,
                "POST",
                RECOVERY_POINTS,
                Bodies.bytes(Bodies.recoveryPoint(name, vmExtIds)),
                null,
                false));
    return new PrismTask(this, op, taskExtId(op, res), null);
  }

  /**
   * Reads a recovery point.
   *
   * @param extId the recovery point's extId
   * @return the recovery point, with its VM recovery points
   * @throws PrismNotFoundException when it does not exist
   */
  public RecoveryPoint getRecoveryPoint(String extId) {
    return getEntity(
        "get recovery point " + extId,
        RECOVERY_POINTS + "/" + Encoding.segment(extId),
        RecoveryPoint.class);
  }

  /**
   * Lists recovery points, every page.
   *
   * @param name only the ones with exactly this name, or {@code null} for all
   * @return the recovery points
   */
  public List<RecoveryPoint> listRecoveryPoints(@Nullable String name) {
    return list(
        name == null ? "list recovery points" : "list recovery points named '" + name + "'",
        RECOVERY_POINTS,
        name == null ? null : "name eq " + Encoding.odataString(name),
        RecoveryPoint.class);
  }

  /**
   * Starts deleting a recovery point ({@code DELETE /recovery-points/{extId}} with {@code
   * If-Match}).
   *
   * @param extId the recovery point's extId
   * @return the task
   */
  public PrismTask deleteRecoveryPoint(String extId) {
    String path = RECOVERY_POINTS + "/" + Encoding.segment(extId);
    return etagTask("delete recovery point " + extId, path, "DELETE", path, null);
  }

  // ------------------------------------------------------------------ tasks

  /**
   * Reads a task once ({@code GET /tasks/{extId}}, the extId URL-encoded).
   *
   * @param extId the task's extId
   * @return the task
   */
  public Task getTask(String extId) {
    String op = "get task " + extId;
    JsonNode data =
        envelope(op, send(PrismRequest.get(op, TASKS + "/" + Encoding.segment(extId), Map.of())))
            .path("data");
    return convert(op, data, Task.class);
  }

  /**
   * Waits for a task with the configured timeout ({@link PrismConfig#taskTimeout()}).
   *
   * @param extId the task's extId
   * @return the task, {@link Task.Status#SUCCEEDED}
   * @throws PrismTaskFailedException when it failed (with its error messages) or was cancelled
   * @throws PrismTaskTimeoutException when it did not finish in time
   */
  public Task awaitTask(String extId) {
    return awaitTask(extId, config.taskTimeout());
  }

  /**
   * Waits for a task: reads it, pausing {@link PrismConfig#taskPollInitial()} at first and twice as
   * long after each read up to {@link PrismConfig#taskPollMax()}, until it ends or the timeout
   * passes.
   *
   * @param extId the task's extId
   * @param timeout how long to wait
   * @return the task, {@link Task.Status#SUCCEEDED}
   * @throws PrismTaskFailedException when it failed (with its error messages) or was cancelled
   * @throws PrismTaskTimeoutException when it did not finish in time (it is not cancelled)
   */
  public Task awaitTask(String extId, Duration timeout) {
    requireNonNull(timeout, "timeout");
    return awaitTask("await task " + extId, extId, pacer.nanoTime() + timeout.toNanos(), timeout);
  }

  Task awaitTask(String operation, String extId, long deadlineNanos, Duration timeout) {
    long pause = config.taskPollInitial().toNanos();
    long maxPause = config.taskPollMax().toNanos();
    while (true) {
      Task task = getTask(extId);
      switch (task.status()) {
        case SUCCEEDED:
          return task;
        case FAILED:
          throw new PrismTaskFailedException(operation, task, "", null);
        case CANCELED:
          throw new PrismTaskFailedException(
              operation, task, "whether someone cancelled it in Prism Central", null);
        default:
          break;
      }
      long left = deadlineNanos - pacer.nanoTime();
      if (left <= 0) {
        throw new PrismTaskTimeoutException(operation, task, timeout);
      }
      try {
        pacer.sleep(Duration.ofNanos(Math.min(pause, left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PrismException(
            operation, null, -1, List.of(), "interrupted while waiting for task " + extId, "", e);
      }
      pause = Math.min(maxPause, pause * 2);
    }
  }

  // ------------------------------------------------------------------ ETag mutations

  /** How many ETag retries one logical mutation has left, shared by its 412s and task failures. */
  private static final class EtagBudget {
    private final int max;
    private int used;

    EtagBudget(int max) {
      this.max = max;
    }

    synchronized boolean tryUse() {
      if (used >= max) {
        return false;
      }
      used++;
      return true;
    }

    synchronized int used() {
      return used;
    }
  }

  private PrismTask etagTask(
      String op, String entityPath, String method, String path, @Nullable ObjectNode body) {
    ensureOpen();
    byte[] bytes = body == null ? null : Bodies.bytes(body);
    EtagBudget budget = new EtagBudget(config.etagRetries());
    Supplier<String> submit =
        () ->
            taskExtId(
                op,
                sendWithEtag(
                    op,
                    entityPath,
                    etag -> PrismRequest.mutation(op, method, path, bytes, etag, false),
                    budget));
    String first = submit.get();
    return new PrismTask(
        this,
        op,
        first,
        failure -> {
          if (!budget.tryUse()) {
            throw new PrismTaskFailedException(
                op,
                failure.task(),
                "the entity kept changing; gave up after "
                    + budget.max
                    + " ETag retries (PrismConfig.etagRetries)",
                failure);
          }
          log.debug(
              "{}: task {} failed with an ETag mismatch; reading a fresh ETag ({}/{})",
              op,
              failure.task().extId(),
              budget.used(),
              budget.max);
          pauseBeforeEtagRetry(op, budget.used());
          return submit.get();
        });
  }

  private PrismResponse sendWithEtag(
      String op,
      String entityPath,
      Function<@Nullable String, PrismRequest> request,
      EtagBudget budget) {
    while (true) {
      String etag = readEtag(op, entityPath);
      try {
        return send(request.apply(etag));
      } catch (PrismConflictException e) {
        boolean retryable = e.isEtagMismatch() || e.httpStatus() == 428;
        if (!retryable) {
          throw e;
        }
        if (!budget.tryUse()) {
          throw new PrismConflictException(
              op,
              e.call().orElse(null),
              e.httpStatus(),
              e.messages(),
              "gave up after " + budget.max + " ETag retries",
              etag == null
                  ? "Prism Central wants If-Match, but sent no ETag with " + entityPath
                  : "what keeps changing the entity (PrismConfig.etagRetries)",
              e);
        }
        log.debug(
            "{}: HTTP {} {}; reading a fresh ETag ({}/{})",
            op,
            e.httpStatus(),
            e.errorGroup().orElse(""),
            budget.used(),
            budget.max);
        pauseBeforeEtagRetry(op, budget.used());
      }
    }
  }

  private void pauseBeforeEtagRetry(String op, int retry) {
    // a short, growing pause: the ETag changes while Prism settles a power state or learns an IP
    Duration pause =
        Duration.ofNanos(
            Math.min(
                config.retryBackoffMax().toNanos(),
                config.retryBackoffInitial().toNanos()
                    * Math.min(1L << Math.min(retry - 1, 20), 1L << 20)));
    try {
      pacer.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrismException(op, null, -1, List.of(), "interrupted", "", e);
    }
  }

  private @Nullable String readEtag(String op, String entityPath) {
    PrismResponse res = send(PrismRequest.get(op + " (read ETag)", entityPath, Map.of()));
    Optional<String> header = res.header("ETag");
    if (header.isPresent() && !header.get().isEmpty()) {
      return header.get();
    }
    JsonNode etag = envelope(op, res).path("data").path("$reserved").path("ETag");
    return etag.isTextual() ? etag.asText() : null;
  }

  // ------------------------------------------------------------------ plumbing

  private PrismResponse send(PrismRequest request) {
    ensureOpen();
    return transport.send(request);
  }

  private <T> T getEntity(String op, String path, Class<T> type) {
    PrismResponse res = send(PrismRequest.get(op, path, Map.of()));
    JsonNode data = envelope(op, res).path("data");
    if (data.isObject()) {
      Optional<String> etag = res.header("ETag");
      if (etag.isPresent() && !etag.get().isEmpty()) {
        ((ObjectNode) data).withObjectProperty("$reserved").put("ETag", etag.get());
      }
    }
    return convert(op, data, type);
  }

  private <T> List<T> list(String op, String path, @Nullable String filter, Class<T> type) {
    List<T> all = new ArrayList<>();
    for (int page = 0; page < MAX_PAGES; page++) {
      Map<String, String> query = new LinkedHashMap<>();
      if (filter != null) {
        query.put("$filter", filter);
      }
      query.put("$page", Integer.toString(page));
      query.put("$limit", Integer.toString(PAGE_SIZE));
      JsonNode env = envelope(op, send(PrismRequest.get(op, path, query)));
      JsonNode data = env.get("data");
      int n = 0;
      if (data != null && data.isArray()) {
        for (JsonNode item : data) {
          all.add(convert(op, item, type));
        }
        n = data.size();
      } else if (data != null && !data.isNull()) {
        throw new PrismTransportException(
            op, null, 200, "the answer's data is not a list", "", null);
      }
      long total = env.path("metadata").path("totalAvailableResults").asLong(-1);
      if (n < PAGE_SIZE || (total >= 0 && all.size() >= total)) {
        return all;
      }
    }
    throw new PrismTransportException(
        op, null, 200, "more than " + MAX_PAGES + " pages", "the filter", null);
  }

  private <T> T findByName(
      String kind,
      String path,
      String name,
      Class<T> type,
      Function<T, String> nameOf,
      Function<T, String> extIdOf,
      Predicate<T> keep) {
    requireNonNull(name, "name");
    String op = "find " + kind + " '" + name + "'";
    List<T> matches =
        list(op, path, "name eq " + Encoding.odataString(name), type).stream()
            .filter(keep)
            .filter(t -> name.equals(nameOf.apply(t)))
            .toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      List<String> names =
          list("list " + kind + "s", path, null, type).stream()
              .filter(keep)
              .map(nameOf)
              .sorted()
              .toList();
      String shown =
          names.isEmpty()
              ? "there are none"
              : kind
                  + "s there: "
                  + String.join(", ", names.subList(0, Math.min(names.size(), MAX_NAMES_SHOWN)))
                  + (names.size() > MAX_NAMES_SHOWN
                      ? " and " + (names.size() - MAX_NAMES_SHOWN) + " more"
                      : "");
      throw new PrismNotFoundException(
          op,
          null,
          -1,
          List.of(),
          "no " + kind + " named '" + name + "' on " + config.endpoint() + "; " + shown,
          "the " + kind + "'s name (case matters)",
          null);
    }
    throw new PrismAmbiguousNameException(
        op,
        null,
        -1,
        List.of(),
        matches.size()
            + " "
            + kind
            + "s are named '"
            + name
            + "' (extIds "
            + String.join(", ", matches.stream().map(extIdOf).toList())
            + ")",
        "rename one, or look it up by extId",
        null);
  }

  private static JsonNode envelope(String op, PrismResponse res) {
    if (res.body().length == 0) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode root = Json.MAPPER.readTree(res.body());
      return root == null ? Json.MAPPER.createObjectNode() : root;
    } catch (IOException e) {
      throw new PrismTransportException(
          op,
          null,
          res.status(),
          "unreadable JSON answer (" + res.body().length + " bytes): " + describe(e),
          "",
          e);
    }
  }

  private static <T> T convert(String op, JsonNode node, Class<T> type) {
    if (node == null || !node.isObject()) {
      throw new PrismTransportException(
          op, null, -1, "the answer has no " + type.getSimpleName() + " object in data", "", null);
    }
    try {
      return Json.MAPPER.treeToValue(node, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new PrismTransportException(
          op, null, -1, "unreadable " + type.getSimpleName() + ": " + describe(e), "", e);
    }
  }

  /** A parse error without the text it choked on (which may be a secret). */
  private static String describe(Exception e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
      String m = j.getOriginalMessage();
      int cut = m.indexOf(" from String ");
      return cut > 0 ? m.substring(0, cut) : m.replaceAll("'[^']*'", "'…'");
    }
    return e.getClass().getSimpleName();
  }

  private static String taskExtId(String op, PrismResponse res) {
    JsonNode data = envelope(op, res).path("data");
    JsonNode extId = data.path("extId");
    if (!extId.isTextual() || extId.asText().isEmpty()) {
      throw new PrismTransportException(
          op,
          null,
          res.status(),
          "HTTP " + res.status() + " without a task reference (data.extId)",
          "",
          null);
    }
    log.debug("{}: task {}", op, extId.asText());
    return extId.asText();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the PrismClient for " + config.endpoint() + " is closed");
    }
  }

  /** Closes the client; further calls throw {@link IllegalStateException}. */
  @Override
  public void close() {
    closed = true;
  }

  /** {@return the endpoint, never credentials} */
  @Override
  public String toString() {
    return "PrismClient{" + config.endpoint() + (closed ? ", closed" : "") + "}";
  }
}
