package io.convergence.testkit.prism;

import static io.convergence.testkit.prism.PrismTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.testkit.prism.ODataFilter.AnyEq;
import io.convergence.testkit.prism.ODataFilter.Eq;
import io.convergence.testkit.prism.ODataFilter.FilterException;
import io.convergence.testkit.prism.PrismTestClient.Res;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code $filter} parser accepts the contract's forms and refuses everything else. */
class ODataFilterTest {

  private static final Set<String> VM_FIELDS = Set.of("name");
  private static final Set<String> VM_COLLECTIONS = Set.of("categories/extId");

  private static FakePrismCentral pc;
  private static PrismTestClient client;

  @BeforeAll
  static void start() {
    pc = FakePrismCentral.builder().noLatency().start().seedDefaults();
    client = new PrismTestClient(pc);
  }

  @AfterAll
  static void stop() {
    pc.close();
  }

  private static ODataFilter parse(String s) throws FilterException {
    return ODataFilter.parse(s, Set.of("name", "key", "value"), VM_COLLECTIONS);
  }

  @Test
  void parsesTheContractsForms() throws FilterException {
    assertThat(parse("name eq 'lab-vm'").clauses()).containsExactly(new Eq("name", "lab-vm"));
    assertThat(parse("key eq 'ConvergenceLab' and value eq 'run-1'").clauses())
        .containsExactly(new Eq("key", "ConvergenceLab"), new Eq("value", "run-1"));
    assertThat(parse("categories/any(c:c/extId eq 'abc')").clauses())
        .containsExactly(new AnyEq("categories", "extId", "abc"));
    assertThat(parse("  (name eq 'a')  and categories/any( x : x/extId eq 'b' ) ").clauses())
        .containsExactly(new Eq("name", "a"), new AnyEq("categories", "extId", "b"));
    assertThat(parse("name eq 'O''Brien and co'").clauses())
        .containsExactly(new Eq("name", "O'Brien and co"));
    assertThat(parse("name eq ''").clauses()).containsExactly(new Eq("name", ""));
  }

  @Test
  void matchesRenderedEntities() throws Exception {
    JsonNode vm =
        PrismTestClient.MAPPER.readTree(
            "{\"name\":\"a\",\"categories\":[{\"extId\":\"c1\"},{\"extId\":\"c2\"}]}");
    assertThat(parse("name eq 'a' and categories/any(c:c/extId eq 'c2')").matches(vm)).isTrue();
    assertThat(parse("name eq 'a' and categories/any(c:c/extId eq 'c3')").matches(vm)).isFalse();
    assertThat(parse("name eq 'A'").matches(vm)).as("case-sensitive").isFalse();
    assertThat(parse("key eq 'a'").matches(vm)).as("absent field").isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "name",
        "name eq",
        "name eq 'x",
        "name ne 'x'",
        "name eq 'a' or name eq 'b'",
        "not name eq 'x'",
        "startswith(name,'x')",
        "contains(name, 'x')",
        "name eq 5",
        "name eq x",
        "name eq \"x\"",
        "name eq 'x' and",
        "name eq 'x')",
        "(name eq 'x'",
        "name eq 'x' name eq 'y'",
        "name in ('x','y')",
        "categories/all(c:c/extId eq 'x')",
        "categories/any(c:d/extId eq 'x')",
        "categories/any(c:c/extId ne 'x')",
        "categories/any(c:c eq 'x')",
        "categories/any(c:c/extId eq 'x' or c/extId eq 'y')",
        "memorySizeBytes eq '1'",
        "cluster/extId eq 'x'",
        "tags/any(t:t/extId eq 'x')",
        "name eq 'x' & value eq 'y'",
        "name EQ 'x'",
        "Name eq 'x'"
      })
  void refusesEverythingElse(String filter) {
    assertThatThrownBy(() -> parse(filter))
        .as("%s", filter)
        .isInstanceOf(FilterException.class)
        .hasMessageNotContaining("null");
  }

  @Test
  void theServerAnswers400ForAnUnsupportedFilterAndNeverIgnoresIt() {
    for (String filter :
        new String[] {"name ne 'x'", "startswith(name,'ubuntu')", "name eq 'a' or name eq 'b'"}) {
      Res r = client.get(FakePrismCentral.IMAGES_PATH + "?$filter=" + q(filter));
      assertThat(r.status()).as(filter).isEqualTo(400);
      JsonNode err = r.data().get("error");
      assertThat(err.get("$objectType").asText()).isEqualTo("vmm.v4.error.SchemaValidationError");
      JsonNode m = err.get("validationErrorMessages").get(0);
      assertThat(m.get("location").asText()).isEqualTo("query");
      assertThat(m.get("attributePath").asText()).isEqualTo("$filter");
    }
    Res field =
        client.get(FakePrismCentral.CATEGORIES_PATH + "?$filter=" + q("name eq 'ConvergenceLab'"));
    assertThat(field.status()).isEqualTo(400);
    assertThat(field.body()).contains("cannot be filtered on");
    Res any =
        client.get(
            FakePrismCentral.CLUSTERS_PATH + "?$filter=" + q("categories/any(c:c/extId eq 'x')"));
    assertThat(any.status()).isEqualTo(400);
  }

  @Test
  void filtersByNameOnSeededLists() {
    Res r =
        client.get(
            FakePrismCentral.CLUSTERS_PATH
                + "?$filter="
                + q("name eq '" + FakePrismCentral.DEFAULT_CLUSTER + "'"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/metadata/totalAvailableResults").asInt()).isEqualTo(1);
    assertThat(r.data().get(0).at("/config/clusterFunction/0").asText()).isEqualTo("AOS");

    Res all = client.get(FakePrismCentral.CLUSTERS_PATH);
    assertThat(all.data()).hasSize(2);
    assertThat(all.data().findValuesAsText("name"))
        .containsExactly(FakePrismCentral.DEFAULT_CLUSTER, FakePrismCentral.PRISM_CENTRAL_CLUSTER);
    assertThat(all.data().get(1).at("/config/clusterFunction/0").asText())
        .isEqualTo("PRISM_CENTRAL");

    Res plus =
        client.get(
            FakePrismCentral.IMAGES_PATH
                + "?$filter=name+eq+'"
                + FakePrismCentral.WINDOWS_IMAGE
                + "'");
    assertThat(plus.data()).as("'+' is a space in a query").hasSize(1);
  }
}
