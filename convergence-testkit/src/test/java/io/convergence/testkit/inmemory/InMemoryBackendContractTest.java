package io.convergence.testkit.inmemory;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;

class InMemoryBackendContractTest extends AbstractBackendContractTest {

  private static final InMemoryContractTarget TARGET = new InMemoryContractTarget("contract");

  @Override
  protected ContractTarget target() {
    return TARGET;
  }
}
