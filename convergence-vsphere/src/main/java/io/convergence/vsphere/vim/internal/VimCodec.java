package io.convergence.vsphere.vim.internal;

import io.convergence.vsphere.vim.CloneSpec;
import io.convergence.vsphere.vim.ConfigSpec;
import io.convergence.vsphere.vim.CustomFieldDef;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.ObjectContent;
import io.convergence.vsphere.vim.ObjectSpec;
import io.convergence.vsphere.vim.PropertyFilterSpec;
import io.convergence.vsphere.vim.PropertySpec;
import io.convergence.vsphere.vim.RetrieveResult;
import io.convergence.vsphere.vim.SelectionSpec;
import io.convergence.vsphere.vim.ServiceContent;
import io.convergence.vsphere.vim.TaskInfo;
import io.convergence.vsphere.vim.TraversalSpec;
import io.convergence.vsphere.vim.UserSession;
import io.convergence.vsphere.vim.VimFault;
import io.convergence.vsphere.vim.VimValue;
import io.convergence.vsphere.vim.VirtualMachineInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Encodes vim25 requests and decodes responses.
 *
 * <p>Requests follow the element order of the vim25 WSDL, which is the field order of govmomi's
 * generated types (vCenter's parser is order-sensitive): for example {@code
 * VirtualMachineRelocateSpec} is {@code folder, datastore, diskMoveType, pool, host}, and in {@code
 * VirtualMachineConfigSpec} {@code annotation} comes before {@code numCPUs}, {@code memoryMB} and
 * {@code extraConfig}. Optional fields that are unset are left out, as govmomi leaves them out.
 */
public final class VimCodec {
  private VimCodec() {}

  // ------------------------------------------------------------------ requests

  /**
   * {@code RetrieveServiceContent} on the {@code ServiceInstance}.
   *
   * @return the method element
   */
  public static String retrieveServiceContent() {
    return new XmlWriter()
        .method("RetrieveServiceContent")
        .ref("_this", ManagedObjectReference.of("ServiceInstance", "ServiceInstance"))
        .end("RetrieveServiceContent")
        .toString();
  }

  /**
   * {@code Login}. The result holds the password: never log it.
   *
   * @param sessionManager the session manager
   * @param user the user
   * @param password the password
   * @return the method element
   */
  public static String login(ManagedObjectReference sessionManager, String user, char[] password) {
    return new XmlWriter()
        .method("Login")
        .ref("_this", sessionManager)
        .text("userName", user)
        .text("password", new String(password))
        .end("Login")
        .toString();
  }

  /**
   * {@code Logout}.
   *
   * @param sessionManager the session manager
   * @return the method element
   */
  public static String logout(ManagedObjectReference sessionManager) {
    return thisOnly("Logout", sessionManager);
  }

  /**
   * {@code RetrievePropertiesEx}.
   *
   * @param propertyCollector the property collector
   * @param spec the filter
   * @param maxObjects the page size, or 0 for the server's default
   * @return the method element
   */
  public static String retrievePropertiesEx(
      ManagedObjectReference propertyCollector, PropertyFilterSpec spec, int maxObjects) {
    XmlWriter w = new XmlWriter().method("RetrievePropertiesEx").ref("_this", propertyCollector);
    w.start("specSet");
    for (PropertySpec p : spec.propSet()) {
      w.start("propSet").text("type", p.type());
      if (p.all()) {
        w.bool("all", true);
      }
      for (String path : p.pathSet()) {
        w.text("pathSet", path);
      }
      w.end("propSet");
    }
    for (ObjectSpec o : spec.objectSet()) {
      w.start("objectSet").ref("obj", o.obj());
      if (o.skip()) {
        w.bool("skip", true);
      }
      selections(w, o.selectSet());
      w.end("objectSet");
    }
    w.end("specSet");
    if (maxObjects > 0) {
      w.start("options").number("maxObjects", maxObjects).end("options");
    } else {
      w.empty("options");
    }
    return w.end("RetrievePropertiesEx").toString();
  }

  private static void selections(XmlWriter w, List<SelectionSpec> selectSet) {
    for (SelectionSpec s : selectSet) {
      if (s instanceof TraversalSpec t) {
        w.startTyped("selectSet", "TraversalSpec");
        if (t.name() != null) {
          w.text("name", t.name());
        }
        w.text("type", t.type()).text("path", t.path()).bool("skip", t.skip());
        selections(w, t.selectSet());
        w.end("selectSet");
      } else if (s instanceof SelectionSpec.Named n) {
        w.startTyped("selectSet", "SelectionSpec").text("name", n.name()).end("selectSet");
      }
    }
  }

  /**
   * {@code ContinueRetrievePropertiesEx}.
   *
   * @param propertyCollector the property collector
   * @param token the token of the previous page
   * @return the method element
   */
  public static String continueRetrievePropertiesEx(
      ManagedObjectReference propertyCollector, String token) {
    return new XmlWriter()
        .method("ContinueRetrievePropertiesEx")
        .ref("_this", propertyCollector)
        .text("token", token)
        .end("ContinueRetrievePropertiesEx")
        .toString();
  }

  /**
   * {@code FindByInventoryPath}.
   *
   * @param searchIndex the search index
   * @param path e.g. {@code DC0/vm/lab}
   * @return the method element
   */
  public static String findByInventoryPath(ManagedObjectReference searchIndex, String path) {
    return new XmlWriter()
        .method("FindByInventoryPath")
        .ref("_this", searchIndex)
        .text("inventoryPath", path)
        .end("FindByInventoryPath")
        .toString();
  }

  /**
   * {@code FindChild}.
   *
   * @param searchIndex the search index
   * @param entity the parent
   * @param name the child's name
   * @return the method element
   */
  public static String findChild(
      ManagedObjectReference searchIndex, ManagedObjectReference entity, String name) {
    return new XmlWriter()
        .method("FindChild")
        .ref("_this", searchIndex)
        .ref("entity", entity)
        .text("name", name)
        .end("FindChild")
        .toString();
  }

  /**
   * {@code CreateFolder}.
   *
   * @param parent the parent folder
   * @param name the new folder's name
   * @return the method element
   */
  public static String createFolder(ManagedObjectReference parent, String name) {
    return new XmlWriter()
        .method("CreateFolder")
        .ref("_this", parent)
        .text("name", name)
        .end("CreateFolder")
        .toString();
  }

  /**
   * {@code CloneVM_Task}.
   *
   * @param source the VM or template to clone
   * @param spec the request
   * @return the method element
   */
  public static String cloneVm(ManagedObjectReference source, CloneSpec spec) {
    XmlWriter w =
        new XmlWriter()
            .method("CloneVM_Task")
            .ref("_this", source)
            .ref("folder", spec.folder())
            .text("name", spec.name())
            .start("spec")
            .start("location");
    spec.datastore().ifPresent(d -> w.ref("datastore", d));
    spec.diskMoveType().ifPresent(d -> w.text("diskMoveType", d));
    spec.pool().ifPresent(p -> w.ref("pool", p));
    spec.host().ifPresent(h -> w.ref("host", h));
    w.end("location").bool("template", spec.template());
    spec.config().ifPresent(c -> configSpec(w, "config", c));
    spec.sysprepText()
        .ifPresent(
            xml -> {
              w.start("customization")
                  .startTyped("identity", "CustomizationSysprepText")
                  .text("value", xml)
                  .end("identity")
                  .empty("globalIPSettings");
              for (int i = 0; i < spec.dhcpNics(); i++) {
                w.start("nicSettingMap")
                    .start("adapter")
                    .startTyped("ip", "CustomizationDhcpIpGenerator")
                    .end("ip")
                    .end("adapter")
                    .end("nicSettingMap");
              }
              w.end("customization");
            });
    w.bool("powerOn", spec.powerOn());
    spec.snapshot().ifPresent(s -> w.ref("snapshot", s));
    return w.end("spec").end("CloneVM_Task").toString();
  }

  /**
   * {@code ReconfigVM_Task}.
   *
   * @param vm the VM
   * @param spec the changes
   * @return the method element
   */
  public static String reconfigVm(ManagedObjectReference vm, ConfigSpec spec) {
    XmlWriter w = new XmlWriter().method("ReconfigVM_Task").ref("_this", vm);
    configSpec(w, "spec", spec);
    return w.end("ReconfigVM_Task").toString();
  }

  private static void configSpec(XmlWriter w, String element, ConfigSpec c) {
    w.start(element);
    c.annotation().ifPresent(a -> w.text("annotation", a));
    c.numCpus().ifPresent(n -> w.number("numCPUs", n));
    c.memoryMb().ifPresent(m -> w.number("memoryMB", m));
    for (Map.Entry<String, String> e : c.extraConfig().entrySet()) {
      w.startTyped("extraConfig", "OptionValue")
          .text("key", e.getKey())
          .textTyped("value", "xsd:string", e.getValue())
          .end("extraConfig");
    }
    w.end(element);
  }

  /**
   * A method whose only parameter is {@code _this}: {@code PowerOnVM_Task}, {@code
   * PowerOffVM_Task}, {@code Destroy_Task}, {@code MarkAsTemplate}, {@code Logout}.
   *
   * @param method the method
   * @param target the object
   * @return the method element
   */
  public static String thisOnly(String method, ManagedObjectReference target) {
    return new XmlWriter().method(method).ref("_this", target).end(method).toString();
  }

  /**
   * {@code CreateSnapshot_Task}.
   *
   * @param vm the VM
   * @param name the snapshot's name
   * @param description the description (left out when empty)
   * @param memory whether to include the memory
   * @param quiesce whether to quiesce the guest file system (needs VMware Tools)
   * @return the method element
   */
  public static String createSnapshot(
      ManagedObjectReference vm, String name, String description, boolean memory, boolean quiesce) {
    XmlWriter w = new XmlWriter().method("CreateSnapshot_Task").ref("_this", vm).text("name", name);
    if (!description.isEmpty()) {
      w.text("description", description);
    }
    return w.bool("memory", memory).bool("quiesce", quiesce).end("CreateSnapshot_Task").toString();
  }

  /**
   * {@code RevertToSnapshot_Task}.
   *
   * @param snapshot the snapshot
   * @return the method element
   */
  public static String revertToSnapshot(ManagedObjectReference snapshot) {
    return thisOnly("RevertToSnapshot_Task", snapshot);
  }

  /**
   * {@code RemoveSnapshot_Task}.
   *
   * @param snapshot the snapshot
   * @param removeChildren whether to remove the snapshots taken on top of it too
   * @return the method element
   */
  public static String removeSnapshot(ManagedObjectReference snapshot, boolean removeChildren) {
    return new XmlWriter()
        .method("RemoveSnapshot_Task")
        .ref("_this", snapshot)
        .bool("removeChildren", removeChildren)
        .end("RemoveSnapshot_Task")
        .toString();
  }

  /**
   * {@code AddCustomFieldDef}.
   *
   * @param customFieldsManager the manager
   * @param name the attribute's name
   * @param moType the type it applies to, or {@code null} for all
   * @return the method element
   */
  public static String addCustomFieldDef(
      ManagedObjectReference customFieldsManager, String name, @Nullable String moType) {
    XmlWriter w = new XmlWriter().method("AddCustomFieldDef").ref("_this", customFieldsManager);
    w.text("name", name);
    if (moType != null) {
      w.text("moType", moType);
    }
    return w.end("AddCustomFieldDef").toString();
  }

  /**
   * {@code SetField}.
   *
   * @param customFieldsManager the manager
   * @param entity the object to label
   * @param key the field key
   * @param value the value
   * @return the method element
   */
  public static String setField(
      ManagedObjectReference customFieldsManager,
      ManagedObjectReference entity,
      int key,
      String value) {
    return new XmlWriter()
        .method("SetField")
        .ref("_this", customFieldsManager)
        .ref("entity", entity)
        .number("key", key)
        .text("value", value)
        .end("SetField")
        .toString();
  }

  // ------------------------------------------------------------------ responses

  /**
   * Decodes {@code RetrieveServiceContentResponse}.
   *
   * @param response the response element
   * @return the content
   */
  public static ServiceContent serviceContent(VimValue response) {
    VimValue rv = returnval(response, "RetrieveServiceContent");
    VimValue about = required(rv, "about", "RetrieveServiceContent");
    return new ServiceContent(
        requiredRef(rv, "rootFolder"),
        requiredRef(rv, "propertyCollector"),
        requiredRef(rv, "sessionManager"),
        optionalRef(rv, "searchIndex"),
        optionalRef(rv, "customFieldsManager"),
        new ServiceContent.About(
            about.childText("fullName").orElse(""),
            about.childText("version").orElse(""),
            about.childText("build").orElse(""),
            about.childText("apiType").orElse(""),
            about.childText("apiVersion").orElse(""),
            about.childText("instanceUuid").orElse(null)));
  }

  /**
   * Decodes {@code LoginResponse}.
   *
   * @param response the response element
   * @return the session
   */
  public static UserSession userSession(VimValue response) {
    VimValue rv = returnval(response, "Login");
    return new UserSession(
        rv.childText("userName").orElse(""), rv.childText("fullName").orElse(""));
  }

  /**
   * Decodes a response whose optional {@code returnval} is a managed object reference ({@code
   * FindByInventoryPath}, {@code FindChild}, {@code CreateFolder}, the {@code *_Task} methods).
   *
   * @param response the response element
   * @return the reference, or empty when there is no {@code returnval}
   */
  public static Optional<ManagedObjectReference> optionalReturnRef(VimValue response) {
    return response.child("returnval").map(VimValue::asReference);
  }

  /**
   * Decodes {@code RetrievePropertiesExResponse} or {@code ContinueRetrievePropertiesExResponse}.
   * An absent {@code returnval} means nothing matched.
   *
   * @param response the response element
   * @return the page
   */
  public static RetrieveResult retrieveResult(VimValue response) {
    Optional<VimValue> rv = response.child("returnval");
    if (rv.isEmpty()) {
      return new RetrieveResult(List.of(), null);
    }
    List<ObjectContent> objects = new ArrayList<>();
    for (VimValue oc : rv.get().children("objects")) {
      objects.add(objectContent(oc));
    }
    String token = rv.get().childText("token").filter(t -> !t.isEmpty()).orElse(null);
    return new RetrieveResult(objects, token);
  }

  private static ObjectContent objectContent(VimValue oc) {
    ManagedObjectReference obj = requiredRef(oc, "obj");
    Map<String, VimValue> props = new LinkedHashMap<>();
    for (VimValue p : oc.children("propSet")) {
      String name = p.childText("name").orElse("");
      p.child("val").ifPresent(v -> props.put(name, v));
    }
    Map<String, VimFault> missing = new LinkedHashMap<>();
    for (VimValue m : oc.children("missingSet")) {
      String path = m.childText("path").orElse("");
      VimFault fault =
          m.child("fault").map(VimCodec::localizedFault).orElse(new VimFault("Unknown", "", null));
      missing.put(path, fault);
    }
    return new ObjectContent(obj, props, missing);
  }

  /**
   * Decodes a {@code LocalizedMethodFault} ({@code info.error} of a task, {@code fault} of a
   * missing property): the fault's {@code xsi:type} names it.
   *
   * @param lmf the value
   * @return the fault
   */
  public static VimFault localizedFault(VimValue lmf) {
    Optional<VimValue> fault = lmf.child("fault");
    String name = fault.flatMap(VimValue::xsiType).orElse("Unknown");
    String message = lmf.childText("localizedMessage").orElse("");
    if (message.isEmpty()) {
      message =
          fault
              .flatMap(f -> f.child("faultMessage"))
              .flatMap(m -> m.childText("message"))
              .orElse("");
    }
    return new VimFault(name, message, fault.orElse(null));
  }

  /**
   * Decodes a task's state from the properties {@code info.state}, {@code info.error} and {@code
   * info.result} (or from a whole {@code info}).
   *
   * @param task the task
   * @param content the properties read
   * @return the state
   */
  public static TaskInfo taskInfo(ManagedObjectReference task, ObjectContent content) {
    Optional<VimValue> whole = content.get("info");
    Optional<String> state =
        whole.isPresent() ? whole.get().childText("state") : content.text("info.state");
    Optional<VimValue> error =
        whole.isPresent() ? whole.get().child("error") : content.get("info.error");
    Optional<VimValue> result =
        whole.isPresent() ? whole.get().child("result") : content.get("info.result");
    if (state.isEmpty()) {
      throw new IllegalArgumentException("no info.state for " + task + ": " + content);
    }
    return new TaskInfo(
        task,
        TaskInfo.State.fromWire(state.get()),
        error.map(VimCodec::localizedFault).orElse(null),
        result.orElse(null));
  }

  /**
   * Decodes the properties of {@link VirtualMachineInfo#PROPERTY_PATHS}.
   *
   * @param content the properties read
   * @return the view
   * @throws IllegalArgumentException when {@code name} or {@code runtime.powerState} is missing
   */
  public static VirtualMachineInfo virtualMachineInfo(ObjectContent content) {
    String name =
        content
            .text("name")
            .orElseThrow(() -> new IllegalArgumentException("no name for " + content.obj()));
    String power =
        content
            .text("runtime.powerState")
            .orElseThrow(
                () -> new IllegalArgumentException("no runtime.powerState for " + content.obj()));
    List<ManagedObjectReference> datastores = new ArrayList<>();
    content
        .get("datastore")
        .ifPresent(v -> v.children().stream().map(VimValue::asReference).forEach(datastores::add));
    Map<String, String> extraConfig = new LinkedHashMap<>();
    content
        .get("config.extraConfig")
        .ifPresent(
            v -> {
              for (VimValue o : v.children()) {
                extraConfig.put(o.childText("key").orElse(""), o.childText("value").orElse(""));
              }
            });
    Map<Integer, String> customValues = new LinkedHashMap<>();
    content
        .get("customValue")
        .ifPresent(
            v -> {
              for (VimValue o : v.children()) {
                o.childText("key")
                    .ifPresent(
                        k ->
                            customValues.put(Integer.parseInt(k), o.childText("value").orElse("")));
              }
            });
    return new VirtualMachineInfo(
        content.obj(),
        name,
        content.get("config.template").map(VimValue::asBoolean).orElse(false),
        VirtualMachineInfo.PowerState.fromWire(power),
        content.text("guest.ipAddress").orElse(null),
        content.reference("parent").orElse(null),
        content.reference("resourcePool").orElse(null),
        datastores,
        (int) content.get("config.hardware.numCPU").map(VimValue::asLong).orElse(0L).longValue(),
        content.get("config.hardware.memoryMB").map(VimValue::asLong).orElse(0L),
        content.get("snapshot").map(VimCodec::snapshotInfo).orElse(null),
        content.get("config.hardware.device").map(VimCodec::disks).orElse(List.of()),
        extraConfig,
        customValues);
  }

  /**
   * Decodes the virtual disks of a {@code config.hardware.device} value.
   *
   * @param devices an {@code ArrayOfVirtualDevice}
   * @return the disks
   */
  public static List<VirtualMachineInfo.Disk> disks(VimValue devices) {
    List<VirtualMachineInfo.Disk> disks = new ArrayList<>();
    for (VimValue d : devices.children()) {
      if (!d.xsiType().map("VirtualDisk"::equals).orElse(false)) {
        continue;
      }
      Optional<VimValue> backing = d.child("backing");
      disks.add(
          new VirtualMachineInfo.Disk(
              (int) d.child("key").map(VimValue::asLong).orElse(0L).longValue(),
              backing.flatMap(b -> b.childText("fileName")).orElse(""),
              backing
                  .flatMap(b -> b.child("parent"))
                  .map(p -> p.childText("fileName").orElse(""))
                  .orElse(null),
              d.child("capacityInKB").map(VimValue::asLong).orElse(0L)));
    }
    return disks;
  }

  private static VirtualMachineInfo.SnapshotInfo snapshotInfo(VimValue v) {
    List<VirtualMachineInfo.SnapshotNode> roots = new ArrayList<>();
    for (VimValue n : v.children("rootSnapshotList")) {
      roots.add(snapshotNode(n));
    }
    return new VirtualMachineInfo.SnapshotInfo(optionalRef(v, "currentSnapshot"), roots);
  }

  private static VirtualMachineInfo.SnapshotNode snapshotNode(VimValue n) {
    List<VirtualMachineInfo.SnapshotNode> children = new ArrayList<>();
    for (VimValue c : n.children("childSnapshotList")) {
      children.add(snapshotNode(c));
    }
    return new VirtualMachineInfo.SnapshotNode(
        requiredRef(n, "snapshot"),
        n.childText("name").orElse(""),
        n.childText("description").orElse(""),
        children);
  }

  /**
   * Decodes the {@code field} property of the custom fields manager, or the {@code returnval} of
   * {@code AddCustomFieldDef}.
   *
   * @param def a {@code CustomFieldDef}
   * @return the definition
   */
  public static CustomFieldDef customFieldDef(VimValue def) {
    return new CustomFieldDef(
        (int) def.child("key").map(VimValue::asLong).orElse(0L).longValue(),
        def.childText("name").orElse(""),
        def.childText("managedObjectType").orElse(null));
  }

  /**
   * Picks the {@code SOAPAction} version: the newest version the server lists that is not newer
   * than {@code max}; when the server lists only newer ones, the oldest of those.
   *
   * @param serverVersions the server's current and prior versions of {@code urn:vim25}
   * @param max the newest version this client knows
   * @return the version
   * @throws IllegalArgumentException when the list is empty
   */
  public static String chooseVersion(List<String> serverVersions, String max) {
    String best = null;
    String oldest = null;
    for (String v : serverVersions) {
      if (compareVersions(v, max) <= 0 && (best == null || compareVersions(v, best) > 0)) {
        best = v;
      }
      if (oldest == null || compareVersions(v, oldest) < 0) {
        oldest = v;
      }
    }
    if (best != null) {
      return best;
    }
    if (oldest == null) {
      throw new IllegalArgumentException("the server lists no vim25 version");
    }
    return oldest;
  }

  /**
   * Compares dotted version numbers ({@code 7.0.3.0} &lt; {@code 8.0}); missing parts count as 0.
   *
   * @param a a version
   * @param b another version
   * @return negative, zero or positive
   */
  public static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? parseOrZero(x[i]) : 0;
      int q = i < y.length ? parseOrZero(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  private static int parseOrZero(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ------------------------------------------------------------------ helpers

  private static VimValue returnval(VimValue response, String method) {
    return required(response, "returnval", method);
  }

  private static VimValue required(VimValue parent, String child, String context) {
    return parent
        .child(child)
        .orElseThrow(
            () ->
                new IllegalArgumentException(context + ": no <" + child + "> in " + parent.name()));
  }

  private static ManagedObjectReference requiredRef(VimValue parent, String child) {
    return required(parent, child, parent.name()).asReference();
  }

  private static @Nullable ManagedObjectReference optionalRef(VimValue parent, String child) {
    return parent
        .child(child)
        .filter(VimValue::isReference)
        .map(VimValue::asReference)
        .orElse(null);
  }
}
