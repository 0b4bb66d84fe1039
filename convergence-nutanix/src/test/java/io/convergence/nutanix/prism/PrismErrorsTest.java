package io.convergence.nutanix.prism;

import static io.convergence.nutanix.prism.Wire.VM_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.BackendException;
import io.convergence.nutanix.prism.ScriptedPrism.Response;
import io.convergence.spec.SecretValue;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error bodies are decoded and classified by HTTP status first, errorGroup second. */
class PrismErrorsTest {
  private static final String VMS = "/api/vmm/v4.0/ahv/config/vms";
  private static final String VM = VMS + "/" + VM_ID;

  private ScriptedPrism server;
  private PrismClient pc;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedPrism.start();
    pc =
        PrismClient.create(
            PrismConfig.builder(server.endpoint())
                .basicAuth("admin", SecretValue.of("pw"))
                .retries(1, Duration.ofMillis(1), Duration.ofMillis(1))
                .build(),
            new FakePacer(),
            () -> 1.0);
  }

  @AfterEach
  void stop() {
    pc.close();
    server.close();
  }

  private PrismException getVmFails() {
    try {
      pc.getVm(VM_ID);
    } catch (PrismException e) {
      return e;
    }
    throw new AssertionError("getVm did not fail");
  }

  @Test
  void aListOfAppMessagesIsDecodedAndAllAreNamed() {
    server.on(
        "GET",
        VM,
        Wire.errors(
            404,
            "vmm",
            Wire.appMessage("vmm", "VMM-20005", "ENTITY_NOT_FOUND", "VM " + VM_ID + " not found"),
            Wire.appMessage("vmm", "VMM-20006", "SECOND_GROUP", "second message")));
    PrismException e = getVmFails();
    assertThat(e).isInstanceOf(PrismNotFoundException.class).isInstanceOf(BackendException.class);
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.code()).contains("VMM-20005");
    assertThat(e.errorGroup()).contains("ENTITY_NOT_FOUND");
    assertThat(e.messages()).hasSize(2);
    assertThat(e.messages().get(0).argumentsMap()).containsEntry("vm_uuid", VM_ID);
    assertThat(e.messages().get(0).severity()).isEqualTo("ERROR");
    assertThat(e.backendId()).isEqualTo("nutanix");
    assertThat(e.platformMessage()).isEqualTo("VM " + VM_ID + " not found");
    assertThat(e.requestMethod()).contains("GET");
    assertThat(e.requestPath()).contains(VM);
    assertThat(e.requestId()).isEmpty();
    assertThat(e.getMessage())
        .isEqualTo(
            "nutanix: get VM "
                + VM_ID
                + " failed (HTTP 404, GET "
                + VM
                + "): VMM-20005 ENTITY_NOT_FOUND: VM "
                + VM_ID
                + " not found; VMM-20006 SECOND_GROUP: second message");
  }

  @Test
  void aSchemaValidationErrorListsTheAttributes() {
    server.on(
        "POST",
        VMS,
        Response.json(
            400,
            "{\"data\":{\"error\":{\"$objectType\":\"vmm.v4.error.SchemaValidationError\","
                + "\"statusCode\":400,\"error\":\"Bad Request\",\"validationErrorMessages\":["
                + "{\"$objectType\":\"vmm.v4.error.SchemaValidationErrorMessage\",\"location\":\"body\","
                + "\"attributePath\":\"memorySizeBytes\",\"message\":\"must be greater than or equal to 1\"},"
                + "{\"location\":\"body\",\"attributePath\":\"name\",\"message\":\"must not be blank\"}]},"
                + "\"$errorItemDiscriminator\":\"vmm.v4.error.SchemaValidationError\","
                + "\"$objectType\":\"vmm.v4.error.ErrorResponse\"}}"));
    assertThatThrownBy(() -> pc.createVm(VmCreateSpec.builder("v", "c").memoryMib(1).build()))
        .isInstanceOfSatisfying(
            PrismValidationException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(400);
              assertThat(e.attributePaths()).containsExactly("memorySizeBytes", "name");
              assertThat(e.validationErrors().get(0).location()).isEqualTo("body");
              assertThat(e.getMessage())
                  .contains("schema validation failed (Bad Request)")
                  .contains(
                      "memorySizeBytes: must be greater than or equal to 1; name: must not be blank")
                  .contains("NTNX-Request-Id " + e.requestId().orElseThrow());
            });
  }

  @Test
  void a422IsAValidationErrorNamingTheReference() {
    server.on(
        "POST",
        VMS,
        Wire.error(422, "VMM-20010", "INVALID_REFERENCE", "image 1ma9e000 does not exist"));
    assertThatThrownBy(() -> pc.createVm(VmCreateSpec.builder("v", "c").memoryMib(1).build()))
        .isInstanceOfSatisfying(
            PrismValidationException.class,
            e -> {
              assertThat(e.validationErrors()).isEmpty();
              assertThat(e.getMessage())
                  .contains("(HTTP 422, POST " + VMS)
                  .contains("VMM-20010 INVALID_REFERENCE: image 1ma9e000 does not exist")
                  .contains("check: that every referenced cluster");
            });
  }

  @ParameterizedTest
  @CsvSource({
    "400, VMM-30400, VM_MISSING_REQUEST_ID_HEADER, PrismValidationException",
    "400, PLAT-10429, RATE_LIMIT_EXCEEDED, PrismRateLimitedException",
    "403, VMM-10403, ACCESS_DENIED, PrismForbiddenException",
    "404, VMM-20005, ENTITY_NOT_FOUND, PrismNotFoundException",
    "409, PRISM-50035, CATEGORY_ALREADY_EXISTS, PrismConflictException",
    "412, VMM-30303, VM_ETAG_MISMATCH, PrismConflictException",
    "428, PLAT-10004, MISSING_ETAG_HEADER, PrismConflictException",
    "429, PLAT-10429, RATE_LIMIT_EXCEEDED, PrismRateLimitedException",
    "500, VMM-10500, INTERNAL_ERROR, PrismServerException",
    "500, VMM-20005, ENTITY_NOT_FOUND, PrismServerException",
    "502, VMM-10500, INTERNAL_ERROR, PrismServerException",
    "418, VMM-20005, ENTITY_NOT_FOUND, PrismNotFoundException",
    "418, VMM-99999, SOMETHING_ELSE, PrismException",
  })
  void statusFirstThenErrorGroup(int status, String code, String group, String type) {
    server.on("GET", VM, Wire.error(status, code, group, "msg"));
    PrismException e = getVmFails();
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.getMessage()).contains(code + " " + group + ": msg");
  }

  @Test
  void aGatewayPageIsDescribedNotCopied() {
    server.on("GET", VM, Response.html(502, "<html><body>nginx bad gateway</body></html>"));
    PrismException e = getVmFails();
    assertThat(e).isInstanceOf(PrismServerException.class);
    assertThat(e.getMessage())
        .contains("non-JSON body (text/html, 43 bytes)")
        .doesNotContain("nginx");
    assertThat(e.code()).isEmpty();
  }

  @Test
  void aFlatGatewayErrorIsDecoded() {
    server.on(
        "GET",
        VM,
        Response.json(412, "{\"code\":\"PLAT-10005\",\"message\":\"Invalid eTag header\"}"));
    PrismException e = getVmFails();
    assertThat(e).isInstanceOf(PrismConflictException.class);
    assertThat(e.isEtagMismatch()).isTrue();
    assertThat(e.getMessage()).contains("PLAT-10005: Invalid eTag header");
  }

  @Test
  void anEmptyOrBrokenErrorBodyStillGivesAUsefulMessage() {
    server.on("GET", VM, Response.empty(404), Response.json(404, "{not json"));
    assertThat(getVmFails().getMessage()).contains("(HTTP 404, GET " + VM + "): empty body");
    assertThat(getVmFails().getMessage()).contains("unreadable JSON body (9 bytes)");
  }

  @Test
  void anUnreadableSuccessIsATransportError() {
    server.on("GET", VM, Response.json(200, "[1,2"));
    PrismException e = getVmFails();
    assertThat(e).isInstanceOf(PrismTransportException.class);
    assertThat(e.getMessage()).contains("unreadable JSON answer");
  }

  @Test
  void aRedirectIsNotFollowed() {
    server.on("GET", VM, Response.empty(302).withHeader("Location", "https://idp.example/login"));
    PrismException e = getVmFails();
    assertThat(e).isInstanceOf(PrismTransportException.class);
    assertThat(e.getMessage()).contains("unexpected redirect to https://idp.example/login");
  }
}
