package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code RetrieveServiceContent} returns: the singleton managers this client uses and the
 * server's identity.
 *
 * @param rootFolder the inventory root
 * @param propertyCollector the property collector
 * @param sessionManager the session manager (Login/Logout)
 * @param searchIndex the search index (FindByInventoryPath, FindChild), or {@code null}
 * @param customFieldsManager the custom attributes manager, or {@code null} (ESXi without vCenter)
 * @param about the server's identity and API version
 * @since 0.1.0
 */
public record ServiceContent(
    ManagedObjectReference rootFolder,
    ManagedObjectReference propertyCollector,
    ManagedObjectReference sessionManager,
    @Nullable ManagedObjectReference searchIndex,
    @Nullable ManagedObjectReference customFieldsManager,
    About about) {

  /**
   * Checks the components.
   *
   * @param rootFolder the inventory root
   * @param propertyCollector the property collector
   * @param sessionManager the session manager
   * @param searchIndex the search index, or {@code null}
   * @param customFieldsManager the custom attributes manager, or {@code null}
   * @param about the server's identity
   */
  public ServiceContent {
    requireNonNull(rootFolder, "rootFolder");
    requireNonNull(propertyCollector, "propertyCollector");
    requireNonNull(sessionManager, "sessionManager");
    requireNonNull(about, "about");
  }

  /**
   * The search index.
   *
   * @return the reference
   * @throws VimException when the server has none
   */
  public ManagedObjectReference requireSearchIndex() {
    return require(searchIndex, "searchIndex");
  }

  /**
   * The custom fields manager.
   *
   * @return the reference
   * @throws VimException when the server has none (a standalone ESXi host)
   */
  public ManagedObjectReference requireCustomFieldsManager() {
    return require(customFieldsManager, "customFieldsManager");
  }

  private static ManagedObjectReference require(@Nullable ManagedObjectReference ref, String name) {
    if (ref == null) {
      throw new VimException(
          "RetrieveServiceContent",
          -1,
          null,
          "the server has no " + name,
          "that the URL points at vCenter, not a standalone ESXi host",
          null);
    }
    return ref;
  }

  /**
   * The server's {@code AboutInfo}.
   *
   * @param fullName e.g. {@code VMware vCenter Server 8.0.3 build-24022515}
   * @param version the product version, e.g. {@code 8.0.3}
   * @param build the build number
   * @param apiType {@code VirtualCenter} or {@code HostAgent}
   * @param apiVersion the newest vim25 API version the server speaks, e.g. {@code 8.0.3.0}
   * @param instanceUuid the vCenter instance UUID, or {@code null}
   */
  public record About(
      String fullName,
      String version,
      String build,
      String apiType,
      String apiVersion,
      @Nullable String instanceUuid) {

    /**
     * Checks the components.
     *
     * @param fullName the full name
     * @param version the product version
     * @param build the build
     * @param apiType the API type
     * @param apiVersion the API version
     * @param instanceUuid the instance UUID, or {@code null}
     */
    public About {
      requireNonNull(fullName, "fullName");
      requireNonNull(version, "version");
      requireNonNull(build, "build");
      requireNonNull(apiType, "apiType");
      requireNonNull(apiVersion, "apiVersion");
    }

    /**
     * Whether this is vCenter (not a standalone ESXi host).
     *
     * @return whether {@code apiType} is {@code VirtualCenter}
     */
    public boolean isVcenter() {
      return "VirtualCenter".equals(apiType);
    }

    /**
     * The vCenter instance UUID.
     *
     * @return the UUID, if the server sent one
     */
    public Optional<String> instance() {
      return Optional.ofNullable(instanceUuid);
    }
  }
}
