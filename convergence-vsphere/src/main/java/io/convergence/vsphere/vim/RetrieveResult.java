package io.convergence.vsphere.vim;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code RetrievePropertiesEx} results ({@code RetrieveResult}).
 *
 * @param objects the objects of this page
 * @param token the token for {@code ContinueRetrievePropertiesEx} when more pages follow, or {@code
 *     null}
 * @since 0.1.0
 */
public record RetrieveResult(List<ObjectContent> objects, @Nullable String token) {
  /**
   * Checks the components.
   *
   * @param objects the objects
   * @param token the continuation token, or {@code null}
   */
  public RetrieveResult {
    objects = List.copyOf(objects);
  }

  /**
   * The continuation token.
   *
   * @return the token, if more pages follow
   */
  public Optional<String> nextToken() {
    return Optional.ofNullable(token);
  }
}
