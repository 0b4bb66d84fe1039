package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import io.convergence.spi.TlsContexts;
import io.convergence.vsphere.vim.internal.SoapParser;
import io.convergence.vsphere.vim.internal.SoapTransport;
import io.convergence.vsphere.vim.internal.VimCodec;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vim25 SOAP client for vCenter on {@code java.net.http}.
 *
 * <p>{@link #connect} reads the service content (negotiating the {@code SOAPAction} version from
 * {@code /sdk/vimServiceVersions.xml} unless one is configured); {@link #login()} opens a session,
 * kept in the {@code vmware_soap_session} cookie. When vCenter later answers {@code
 * NotAuthenticated} (the session expired), the client logs in again once and repeats the call;
 * after an explicit {@link #logout()} it does not.
 *
 * <p>Reads ({@code RetrieveServiceContent}, {@code RetrievePropertiesEx}, {@code
 * FindByInventoryPath}, {@code FindChild}) are retried a bounded number of times when the transport
 * fails; calls that change state are not, because they may have taken effect.
 *
 * <p>Methods named after {@code *_Task} methods return a {@link VimTask} as soon as vCenter
 * accepted the request; {@link VimTask#await()} polls {@code info.state}, {@code info.error} and
 * {@code info.result} through the property collector with a growing, bounded pause, and turns a
 * task error into a {@link VimFaultException}.
 *
 * <p>Thread-safe. Closing logs out (if logged in).
 *
 * @since 0.1.0
 */
public final class Vim25Client implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Vim25Client.class);

  /** The traversal from a folder to its children, used by {@link #folderContents}. */
  private static final TraversalSpec FOLDER_CHILDREN =
      new TraversalSpec("folderChildren", "Folder", "childEntity", false, List.of());

  private final Vim25Config config;
  private final SoapTransport transport;
  private final ServiceContent content;
  private final Object sessionLock = new Object();
  private volatile boolean loggedIn;
  private volatile long sessionGeneration;
  private volatile @Nullable UserSession session;

  private Vim25Client(Vim25Config config, SoapTransport transport, ServiceContent content) {
    this.config = config;
    this.transport = transport;
    this.content = content;
  }

  /**
   * Connects: sets up TLS, negotiates the API version and reads the service content. Does not log
   * in.
   *
   * @param config where and how to connect
   * @return the client
   * @throws VimException when vCenter cannot be reached or does not speak vim25
   */
  public static Vim25Client connect(Vim25Config config) {
    requireNonNull(config, "config");
    if (config.insecure()) {
      log.warn(
          "TLS certificate and host name verification is OFF for {} "
              + "(insecureSkipTlsVerification): use this only with throwaway test servers",
          config.sdkUri());
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(TlsContexts.sslContext(config.trustStore().orElse(null), config.insecure()))
            .build();
    SoapTransport transport =
        new SoapTransport(
            config.sdkUri(),
            http,
            config.requestTimeout(),
            config.readAttempts(),
            config.retryBackoff(),
            config.userAgent(),
            config.requestListener());
    String version = config.apiVersion().orElseGet(() -> negotiateVersion(transport));
    transport.version(version);
    ServiceContent content =
        VimCodec.serviceContent(
            transport.call("RetrieveServiceContent", VimCodec.retrieveServiceContent(), true));
    log.info(
        "connected to {} ({}, API {}), speaking vim25 {}",
        config.sdkUri(),
        content.about().fullName(),
        content.about().apiVersion(),
        version);
    return new Vim25Client(config, transport, content);
  }

  private static String negotiateVersion(SoapTransport transport) {
    Optional<byte[]> doc = transport.get("vimServiceVersions.xml");
    List<String> versions = List.of();
    if (doc.isPresent()) {
      try {
        versions = SoapParser.serviceVersions(doc.get());
      } catch (IllegalArgumentException e) {
        log.debug("unreadable vimServiceVersions.xml: {}", e.getMessage());
      }
    }
    if (versions.isEmpty()) {
      log.debug("no vimServiceVersions.xml; speaking vim25 7.0");
      return "7.0";
    }
    return VimCodec.chooseVersion(versions, Vim25Config.MAX_API_VERSION);
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public Vim25Config config() {
    return config;
  }

  /**
   * The service content read on connect.
   *
   * @return the content
   */
  public ServiceContent serviceContent() {
    return content;
  }

  /**
   * The vim25 version sent in {@code SOAPAction}.
   *
   * @return e.g. {@code 8.0.3.0}
   */
  public String apiVersion() {
    return transport.version();
  }

  /**
   * The session opened by the last login.
   *
   * @return the session, while logged in
   */
  public Optional<UserSession> session() {
    return loggedIn ? Optional.ofNullable(session) : Optional.empty();
  }

  // ------------------------------------------------------------------ session

  /**
   * Logs in with the configured credentials ({@code SessionManager.Login}).
   *
   * @return the session
   * @throws VimFaultException {@code InvalidLogin} for a wrong user name or password
   * @throws IllegalStateException when the configuration has no credentials
   */
  public UserSession login() {
    if (!config.hasCredentials()) {
      throw new IllegalStateException("no credentials configured: Vim25Config.credentials(...)");
    }
    synchronized (sessionLock) {
      return doLogin();
    }
  }

  private UserSession doLogin() {
    char[] password = requireNonNull(config.passwordCopy());
    try {
      String user = config.username().orElseThrow();
      VimValue res =
          transport.call("Login", VimCodec.login(content.sessionManager(), user, password), false);
      UserSession s = VimCodec.userSession(res);
      session = s;
      loggedIn = true;
      sessionGeneration++;
      log.info("logged in to {} as {}", config.sdkUri(), s.userName());
      return s;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * Logs out ({@code SessionManager.Logout}) and forgets the session cookie. Does nothing when not
   * logged in.
   */
  public void logout() {
    synchronized (sessionLock) {
      if (!loggedIn) {
        return;
      }
      loggedIn = false;
      try {
        transport.call("Logout", VimCodec.logout(content.sessionManager()), false);
      } finally {
        transport.clearSessionCookie();
        session = null;
      }
      log.info("logged out of {}", config.sdkUri());
    }
  }

  /** Logs out, if logged in; errors are logged, not thrown. */
  @Override
  public void close() {
    try {
      logout();
    } catch (VimException e) {
      log.debug("logout on close failed: {}", e.getMessage());
    }
  }

  /**
   * Sends a call, and when vCenter says {@code NotAuthenticated} while this client believes it is
   * logged in, logs in again once and repeats the call.
   */
  private <T> T call(String method, String xml, boolean idempotent, Function<VimValue, T> decode) {
    long generation = sessionGeneration;
    try {
      return decode.apply(transport.call(method, xml, idempotent));
    } catch (VimFaultException e) {
      if (!e.is(VimFault.NOT_AUTHENTICATED) || !loggedIn || !config.hasCredentials()) {
        throw e;
      }
      relogin(generation, method);
      return decode.apply(transport.call(method, xml, idempotent));
    }
  }

  private void relogin(long seenGeneration, String method) {
    synchronized (sessionLock) {
      if (sessionGeneration != seenGeneration || !loggedIn) {
        return; // another thread logged in again meanwhile (or we logged out)
      }
      log.info(
          "vCenter answered NotAuthenticated to {}: the session expired; logging in again", method);
      doLogin();
    }
  }

  // ------------------------------------------------------------------ property collector

  /**
   * Reads properties ({@code RetrievePropertiesEx}), one page.
   *
   * @param spec what to read
   * @param maxObjects the page size, or 0 for the server's default
   * @return the first page; pass its token to {@link #continueRetrieve}
   */
  public RetrieveResult retrieve(PropertyFilterSpec spec, int maxObjects) {
    return call(
        "RetrievePropertiesEx",
        VimCodec.retrievePropertiesEx(content.propertyCollector(), spec, maxObjects),
        true,
        res -> checkAuthenticated("RetrievePropertiesEx", VimCodec.retrieveResult(res)));
  }

  /**
   * Reads the next page ({@code ContinueRetrievePropertiesEx}). Not retried on transport failures:
   * the server may already have handed out the page.
   *
   * @param token the token of the previous page
   * @return the page
   */
  public RetrieveResult continueRetrieve(String token) {
    return call(
        "ContinueRetrievePropertiesEx",
        VimCodec.continueRetrievePropertiesEx(content.propertyCollector(), token),
        false,
        res -> checkAuthenticated("ContinueRetrievePropertiesEx", VimCodec.retrieveResult(res)));
  }

  /**
   * Reads properties, following continuation tokens to the end.
   *
   * @param spec what to read
   * @return every object
   */
  public List<ObjectContent> retrieveAll(PropertyFilterSpec spec) {
    List<ObjectContent> all = new ArrayList<>();
    RetrieveResult page = retrieve(spec, 0);
    all.addAll(page.objects());
    while (page.token() != null) {
      page = continueRetrieve(page.token());
      all.addAll(page.objects());
    }
    return all;
  }

  /**
   * Reads properties of one object.
   *
   * @param obj the object
   * @param paths property paths, e.g. {@code name}, {@code runtime.powerState}
   * @return its properties (unset ones are absent)
   * @throws VimFaultException {@code ManagedObjectNotFound} when the object does not exist
   */
  public ObjectContent retrieve(ManagedObjectReference obj, String... paths) {
    for (ObjectContent oc : retrieveAll(PropertyFilterSpec.of(obj, paths))) {
      if (oc.obj().equals(obj)) {
        return oc;
      }
    }
    return new ObjectContent(obj, Map.of(), Map.of());
  }

  /**
   * vcsim answers an unauthenticated {@code RetrievePropertiesEx} with {@code NotAuthenticated} in
   * the {@code missingSet} of every property instead of a SOAP fault. Treat an object of which
   * nothing could be read, and every property for that reason, like the fault, so that the re-login
   * applies. vCenter also reports {@code NotAuthenticated} for single properties the user lacks
   * privileges on, next to readable ones; those stay in {@link ObjectContent#missing()}.
   */
  private static RetrieveResult checkAuthenticated(String method, RetrieveResult result) {
    for (ObjectContent oc : result.objects()) {
      if (oc.properties().isEmpty()
          && !oc.missing().isEmpty()
          && oc.missing().values().stream().allMatch(f -> f.is(VimFault.NOT_AUTHENTICATED))) {
        throw new VimFaultException(method, 200, oc.missing().values().iterator().next(), null);
      }
    }
    return result;
  }

  /**
   * Reads the typed view of a VM ({@link VirtualMachineInfo#PROPERTY_PATHS}).
   *
   * @param vm the VM
   * @return the view
   * @throws VimFaultException {@code ManagedObjectNotFound} when the VM does not exist
   */
  public VirtualMachineInfo virtualMachine(ManagedObjectReference vm) {
    ObjectContent oc = retrieve(vm, VirtualMachineInfo.PROPERTY_PATHS.toArray(String[]::new));
    try {
      return VimCodec.virtualMachineInfo(oc);
    } catch (IllegalArgumentException e) {
      throw new VimException(
          "RetrievePropertiesEx", -1, null, e.getMessage(), "permissions on " + vm, e);
    }
  }

  /**
   * The direct children of a folder ({@code childEntity}).
   *
   * @param folder the folder
   * @return the children, possibly empty
   */
  public List<ManagedObjectReference> childEntities(ManagedObjectReference folder) {
    return retrieve(folder, "childEntity")
        .get("childEntity")
        .map(v -> v.children().stream().map(VimValue::asReference).toList())
        .orElse(List.of());
  }

  /**
   * Reads properties of the objects of one type directly in a folder, with a {@link TraversalSpec}
   * along {@code childEntity} (the folder itself is skipped).
   *
   * @param folder the folder
   * @param type the type of children to read, e.g. {@code VirtualMachine}
   * @param paths property paths
   * @return one entry per child of that type
   */
  public List<ObjectContent> folderContents(
      ManagedObjectReference folder, String type, String... paths) {
    PropertyFilterSpec spec =
        new PropertyFilterSpec(
            List.of(PropertySpec.of(type, paths)),
            List.of(new ObjectSpec(folder, true, List.of(FOLDER_CHILDREN))));
    return retrieveAll(spec);
  }

  // ------------------------------------------------------------------ search and folders

  /**
   * Finds an object by inventory path ({@code SearchIndex.FindByInventoryPath}).
   *
   * @param path e.g. {@code DC0/vm/templates/ubuntu} (datacenter, then {@code vm}, {@code host},
   *     {@code datastore} or {@code network}, then names)
   * @return the object, if found
   */
  public Optional<ManagedObjectReference> findByInventoryPath(String path) {
    return call(
        "FindByInventoryPath",
        VimCodec.findByInventoryPath(content.requireSearchIndex(), path),
        true,
        VimCodec::optionalReturnRef);
  }

  /**
   * Finds a direct child by name ({@code SearchIndex.FindChild}).
   *
   * @param parent a folder, datacenter, compute resource or resource pool
   * @param name the child's name
   * @return the child, if found
   */
  public Optional<ManagedObjectReference> findChild(ManagedObjectReference parent, String name) {
    return call(
        "FindChild",
        VimCodec.findChild(content.requireSearchIndex(), parent, name),
        true,
        VimCodec::optionalReturnRef);
  }

  /**
   * Creates a folder ({@code Folder.CreateFolder}).
   *
   * @param parent the parent folder
   * @param name the new folder's name
   * @return the new folder
   * @throws VimFaultException {@code DuplicateName} when the name is taken
   */
  public ManagedObjectReference createFolder(ManagedObjectReference parent, String name) {
    return call(
        "CreateFolder",
        VimCodec.createFolder(parent, name),
        false,
        res -> required(VimCodec.optionalReturnRef(res), "CreateFolder"));
  }

  // ------------------------------------------------------------------ VMs

  /**
   * Starts a clone ({@code VirtualMachine.CloneVM_Task}).
   *
   * @param source the VM or template
   * @param spec the request
   * @return the task; its result is the new VM
   */
  public VimTask cloneVmTask(ManagedObjectReference source, CloneSpec spec) {
    return task("CloneVM_Task", VimCodec.cloneVm(source, spec));
  }

  /**
   * Clones and waits, then reads back from the new VM's disks whether it really is a linked clone.
   *
   * @param source the VM or template
   * @param spec the request
   * @return the new VM, and whether it is linked
   * @throws VimFaultException when vCenter refuses the clone or the task fails
   */
  public CloneResult cloneVm(ManagedObjectReference source, CloneSpec spec) {
    VimTask t = cloneVmTask(source, spec);
    TaskInfo info = t.await();
    ManagedObjectReference vm =
        info.resultReference()
            .orElseThrow(
                () ->
                    new VimException(
                        "CloneVM_Task",
                        -1,
                        null,
                        "the task has no VM as result: " + info,
                        "",
                        null));
    boolean linked =
        retrieve(vm, "config.hardware.device")
            .get("config.hardware.device")
            .map(VimCodec::disks)
            .map(
                disks ->
                    !disks.isEmpty() && disks.stream().allMatch(d -> d.parentFileName() != null))
            .orElse(false);
    if (spec.linkedCloneRequested() && !linked) {
      log.warn(
          "{}: a linked clone was requested, but {} reports full disks (no parent backing)",
          spec.name(),
          vm);
    }
    return new CloneResult(vm, spec.linkedCloneRequested(), linked);
  }

  /**
   * Reconfigures a VM ({@code VirtualMachine.ReconfigVM_Task}).
   *
   * @param vm the VM
   * @param spec the changes
   * @return the task
   */
  public VimTask reconfigVm(ManagedObjectReference vm, ConfigSpec spec) {
    return task("ReconfigVM_Task", VimCodec.reconfigVm(vm, spec));
  }

  /**
   * Powers a VM on ({@code VirtualMachine.PowerOnVM_Task}).
   *
   * @param vm the VM
   * @return the task; fails with {@code InvalidPowerState} when the VM is already on
   */
  public VimTask powerOn(ManagedObjectReference vm) {
    return task("PowerOnVM_Task", VimCodec.thisOnly("PowerOnVM_Task", vm));
  }

  /**
   * Powers a VM off, hard ({@code VirtualMachine.PowerOffVM_Task}).
   *
   * @param vm the VM
   * @return the task; fails with {@code InvalidPowerState} when the VM is already off
   */
  public VimTask powerOff(ManagedObjectReference vm) {
    return task("PowerOffVM_Task", VimCodec.thisOnly("PowerOffVM_Task", vm));
  }

  /**
   * Marks a powered-off VM as a template ({@code VirtualMachine.MarkAsTemplate}; not a task).
   *
   * @param vm the VM
   */
  public void markAsTemplate(ManagedObjectReference vm) {
    call("MarkAsTemplate", VimCodec.thisOnly("MarkAsTemplate", vm), false, res -> res);
  }

  /**
   * Takes a snapshot ({@code VirtualMachine.CreateSnapshot_Task}).
   *
   * @param vm the VM
   * @param name the snapshot's name
   * @param description a description (may be empty)
   * @param memory whether to include the memory of a running VM
   * @param quiesce whether to quiesce the guest file system (needs VMware Tools)
   * @return the task; its result is the snapshot
   */
  public VimTask createSnapshot(
      ManagedObjectReference vm, String name, String description, boolean memory, boolean quiesce) {
    return task(
        "CreateSnapshot_Task", VimCodec.createSnapshot(vm, name, description, memory, quiesce));
  }

  /**
   * Reverts to a snapshot ({@code VirtualMachineSnapshot.RevertToSnapshot_Task}).
   *
   * @param snapshot the snapshot
   * @return the task
   */
  public VimTask revertToSnapshot(ManagedObjectReference snapshot) {
    return task("RevertToSnapshot_Task", VimCodec.revertToSnapshot(snapshot));
  }

  /**
   * Removes a snapshot ({@code VirtualMachineSnapshot.RemoveSnapshot_Task}).
   *
   * @param snapshot the snapshot
   * @param removeChildren whether to remove the snapshots taken on top of it too
   * @return the task
   */
  public VimTask removeSnapshot(ManagedObjectReference snapshot, boolean removeChildren) {
    return task("RemoveSnapshot_Task", VimCodec.removeSnapshot(snapshot, removeChildren));
  }

  /**
   * Destroys a managed entity, e.g. a VM or an empty folder ({@code ManagedEntity.Destroy_Task}).
   *
   * @param entity the object
   * @return the task; fails with {@code InvalidPowerState} for a VM that is on
   */
  public VimTask destroy(ManagedObjectReference entity) {
    return task("Destroy_Task", VimCodec.thisOnly("Destroy_Task", entity));
  }

  private VimTask task(String method, String xml) {
    ManagedObjectReference ref =
        call(method, xml, false, res -> required(VimCodec.optionalReturnRef(res), method));
    log.debug("{} started {}", method, ref);
    return new VimTask(this, method, ref);
  }

  // ------------------------------------------------------------------ tasks

  /**
   * Reads a task's {@code info.state}, {@code info.error} and {@code info.result} once.
   *
   * @param task the task
   * @return the state
   */
  public TaskInfo taskInfo(ManagedObjectReference task) {
    ObjectContent oc = retrieve(task, "info.state", "info.error", "info.result");
    try {
      return VimCodec.taskInfo(task, oc);
    } catch (IllegalArgumentException e) {
      throw new VimException("RetrievePropertiesEx", -1, null, e.getMessage(), "", e);
    }
  }

  /**
   * Waits for a task: reads its state, pausing {@link Vim25Config#taskPollInitial()} at first and
   * 1.5 times longer after each read, up to {@link Vim25Config#taskPollMax()}, until it finishes or
   * the timeout passes.
   *
   * @param operation the method that started it, for messages
   * @param task the task
   * @param timeout how long to wait
   * @return the final state ({@link TaskInfo.State#SUCCESS})
   * @throws VimFaultException when the task failed: its fault, e.g. {@code InvalidPowerState}
   * @throws VimTaskTimeoutException when it did not finish in time (it is not cancelled)
   */
  public TaskInfo waitForTask(String operation, ManagedObjectReference task, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = config.taskPollInitial().toMillis();
    long maxPause = config.taskPollMax().toMillis();
    while (true) {
      TaskInfo info = taskInfo(task);
      switch (info.state()) {
        case SUCCESS:
          return info;
        case ERROR:
          VimFault fault =
              info.fault()
                  .orElse(
                      new VimFault("Unknown", "the task ended in error without info.error", null));
          throw new VimFaultException(operation, -1, fault, task);
        default:
          break;
      }
      long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMillis <= 0) {
        throw new VimTaskTimeoutException(operation, task, info.state(), timeout);
      }
      try {
        Thread.sleep(Math.min(pause, leftMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VimException(operation, -1, null, "interrupted while waiting for " + task, "", e);
      }
      pause = Math.min(maxPause, pause + pause / 2 + 1);
    }
  }

  // ------------------------------------------------------------------ custom attributes

  /**
   * The custom attribute definitions ({@code CustomFieldsManager.field}).
   *
   * @return the definitions
   */
  public List<CustomFieldDef> customFieldDefs() {
    return retrieve(content.requireCustomFieldsManager(), "field")
        .get("field")
        .map(v -> v.children().stream().map(VimCodec::customFieldDef).toList())
        .orElse(List.of());
  }

  /**
   * Finds a custom attribute by name, or defines it ({@code AddCustomFieldDef}) when it does not
   * exist yet. Safe against a concurrent definition: on {@code DuplicateName} the existing one is
   * read.
   *
   * @param name the attribute's name, e.g. {@code convergence.lab}
   * @param moType the type it applies to, e.g. {@code VirtualMachine}, or {@code null} for all
   * @return the definition
   */
  public CustomFieldDef ensureCustomField(String name, @Nullable String moType) {
    Optional<CustomFieldDef> existing = findCustomField(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      return call(
          "AddCustomFieldDef",
          VimCodec.addCustomFieldDef(content.requireCustomFieldsManager(), name, moType),
          false,
          res ->
              VimCodec.customFieldDef(
                  res.child("returnval")
                      .orElseThrow(() -> new IllegalArgumentException("no returnval"))));
    } catch (VimFaultException e) {
      if (e.is("DuplicateName")) {
        return findCustomField(name).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  private Optional<CustomFieldDef> findCustomField(String name) {
    return customFieldDefs().stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /**
   * Sets a custom attribute on an object ({@code CustomFieldsManager.SetField}).
   *
   * @param entity the object, e.g. a VM
   * @param field the attribute
   * @param value the value (empty clears it)
   */
  public void setCustomField(ManagedObjectReference entity, CustomFieldDef field, String value) {
    call(
        "SetField",
        VimCodec.setField(content.requireCustomFieldsManager(), entity, field.key(), value),
        false,
        res -> res);
  }

  private static ManagedObjectReference required(
      Optional<ManagedObjectReference> ref, String method) {
    return ref.orElseThrow(
        () -> new VimException(method, -1, null, "the response has no returnval", "", null));
  }

  /** {@return the endpoint and login state, never credentials} */
  @Override
  public String toString() {
    return "Vim25Client{"
        + config.sdkUri()
        + ", vim25 "
        + apiVersion()
        + ", loggedIn="
        + loggedIn
        + "}";
  }
}
