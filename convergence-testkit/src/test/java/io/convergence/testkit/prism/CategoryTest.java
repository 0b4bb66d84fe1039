package io.convergence.testkit.prism;

import static io.convergence.testkit.prism.PrismTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.testkit.prism.PrismTestClient.Res;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Categories: synchronous create, filters, duplicates, and no delete while in use. */
class CategoryTest {

  private static FakePrismCentral pc;
  private static PrismTestClient client;

  @BeforeAll
  static void start() {
    pc = FakePrismCentral.builder().start().seedDefaults();
    client = new PrismTestClient(pc);
  }

  @AfterAll
  static void stop() {
    pc.close();
  }

  @AfterEach
  void clearFaults() {
    pc.faults().clear();
  }

  private static Res delete(String extId) {
    Res get = client.get(FakePrismCentral.CATEGORIES_PATH + "/" + extId);
    return client
        .req("DELETE", FakePrismCentral.CATEGORIES_PATH + "/" + extId)
        .ifMatch(get.etag())
        .send();
  }

  @Test
  void createIsSynchronousAndListableByKeyAndValue() {
    Res created =
        client
            .req("POST", FakePrismCentral.CATEGORIES_PATH)
            .body("{\"key\":\"ConvergenceLab\",\"value\":\"run-1\",\"description\":\"lab run 1\"}")
            .send();
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("ETag")).isPresent();
    String id = created.data().get("extId").asText();
    assertThat(created.data().get("$objectType").asText()).isEqualTo("prism.v4.config.Category");
    client.createCategory("ConvergenceLab", "run-2");
    client.createCategory("Other", "run-1");

    Res one =
        client.get(
            FakePrismCentral.CATEGORIES_PATH
                + "?$filter="
                + q("key eq 'ConvergenceLab' and value eq 'run-1'"));
    assertThat(one.data()).hasSize(1);
    assertThat(one.data().get(0).get("extId").asText()).isEqualTo(id);
    assertThat(one.data().get(0).get("description").asText()).isEqualTo("lab run 1");
    assertThat(
            client
                .get(FakePrismCentral.CATEGORIES_PATH + "?$filter=" + q("key eq 'ConvergenceLab'"))
                .data())
        .hasSize(2);
    assertThat(
            client
                .get(FakePrismCentral.CATEGORIES_PATH + "?$filter=" + q("value eq 'run-1'"))
                .data())
        .hasSize(2);
    assertThat(client.get(FakePrismCentral.CATEGORIES_PATH + "/" + id).data().get("key").asText())
        .isEqualTo("ConvergenceLab");
    assertThat(pc.categories()).extracting(PrismCategory::extId).contains(id);
  }

  @Test
  void aDuplicateKeyAndValueIs409() {
    client.createCategory("Dup", "v");
    Res dup =
        client
            .req("POST", FakePrismCentral.CATEGORIES_PATH)
            .body("{\"key\":\"Dup\",\"value\":\"v\"}")
            .send();
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.error().get("code").asText()).isEqualTo("PRISM-50035");
    assertThat(dup.error().get("errorGroup").asText()).isEqualTo("CATEGORY_ALREADY_EXISTS");
    assertThat(dup.error().get("$objectType").asText()).isEqualTo("prism.v4.error.AppMessage");
    assertThat(pc.categories().stream().filter(c -> c.key().equals("Dup"))).hasSize(1);
  }

  @Test
  void aCategoryInUseCannotBeDeletedUntilItsVmIsGone() {
    String category = client.createCategory("ConvergenceLab", "in-use");
    pc.faults().stallTasks("CreateVm");
    String task =
        client
            .req("POST", FakePrismCentral.VMS_PATH)
            .body(client.vmBody("cat-vm", category))
            .send()
            .taskId();
    Res pending = delete(category);
    assertThat(pending.status()).as("a VM being created counts").isEqualTo(409);
    assertThat(pending.error().get("errorGroup").asText()).isEqualTo("CATEGORY_IN_USE");
    pc.faults().clear();
    String vm = client.awaitSucceeded(task).at("/entitiesAffected/0/extId").asText();
    assertThat(delete(category).status()).isEqualTo(409);

    pc.faults().stallTasks("DeleteVm");
    String deleting =
        client
            .req("DELETE", FakePrismCentral.VMS_PATH + "/" + vm)
            .ifMatch(client.getVm(vm).etag())
            .send()
            .taskId();
    assertThat(delete(category).status()).as("a VM being deleted counts").isEqualTo(409);
    pc.faults().clear();
    client.awaitSucceeded(deleting);
    assertThat(delete(category).status()).isEqualTo(204);
    Res gone = client.get(FakePrismCentral.CATEGORIES_PATH + "/" + category);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.error().get("code").asText()).isEqualTo("PRISM-20005");
    assertThat(pc.categories()).noneMatch(c -> c.extId().equals(category));
  }
}
