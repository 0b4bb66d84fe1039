package io.convergence.spi;

import io.convergence.spec.BackendOptions;
import io.convergence.spec.SpecProblem;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads and writes one backend's {@link BackendOptions} in lab spec files, under {@code
 * options.<backendId>}. Found with {@link java.util.ServiceLoader} in {@code
 * META-INF/services/io.convergence.spi.BackendOptionsFormat}.
 *
 * @param <T> the options type
 * @since 0.1.0
 */
public interface BackendOptionsFormat<T extends BackendOptions> {

  /**
   * The backend id the options are for.
   *
   * @return the id
   */
  String backendId();

  /**
   * The options type.
   *
   * @return the class
   */
  Class<T> type();

  /**
   * Reads options from a tree of {@code Map}, {@code List}, {@code String}, {@code Number} and
   * {@code Boolean}.
   *
   * @param tree the options object
   * @param path the field path of {@code tree}, for problems
   * @param problems where to report every problem (unknown fields included)
   * @return the options; may be partial when problems were reported
   */
  T read(Map<String, Object> tree, String path, Consumer<SpecProblem> problems);

  /**
   * Writes options as a tree that {@link #read} reads back into equal options.
   *
   * @param options the options
   * @return the tree
   * @throws IllegalArgumentException when the options cannot be written (e.g. they hold a modifier
   *     function)
   */
  Map<String, Object> write(T options);
}
