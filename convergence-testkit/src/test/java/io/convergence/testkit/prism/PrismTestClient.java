package io.convergence.testkit.prism;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A bare {@link HttpClient} driver of the fake, as a client of the wire contract would be. */
final class PrismTestClient {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  final FakePrismCentral pc;
  final HttpClient http;
  String username = FakePrismCentral.DEFAULT_USERNAME;
  String password = FakePrismCentral.DEFAULT_PASSWORD;

  PrismTestClient(FakePrismCentral pc) {
    this(pc, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
  }

  PrismTestClient(FakePrismCentral pc, HttpClient http) {
    this.pc = pc;
    this.http = http;
  }

  /** A response. */
  record Res(int status, java.net.http.HttpHeaders headers, String body) {

    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
      }
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    String etag() {
      return header("ETag").orElseThrow(() -> new AssertionError("no ETag: " + this));
    }

    JsonNode data() {
      return json().get("data");
    }

    /** The first application error of an error body. */
    JsonNode error() {
      return json().path("data").path("error").path(0);
    }

    String taskId() {
      assertThat(status).as("202 expected: %s", body).isEqualTo(202);
      return data().get("extId").asText();
    }
  }

  /** A request being built. */
  final class Req {
    final String method;
    final String path;
    @Nullable String body;
    final Map<String, String> headers = new LinkedHashMap<>();
    boolean auth = true;
    boolean requestId;
    @Nullable Duration timeout;

    Req(String method, String path) {
      this.method = method;
      this.path = path;
      this.requestId = !method.equals("GET");
    }

    Req header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    Req ifMatch(String etag) {
      return header("If-Match", etag);
    }

    Req requestId(String id) {
      return header("NTNX-Request-Id", id);
    }

    Req noRequestId() {
      requestId = false;
      return this;
    }

    Req noAuth() {
      auth = false;
      return this;
    }

    Req body(String json) {
      body = json;
      return this;
    }

    Req body(JsonNode json) {
      return body(json.toString());
    }

    Req timeout(Duration t) {
      timeout = t;
      return this;
    }

    HttpRequest build() {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(pc.baseUri() + path))
              .timeout(timeout == null ? TIMEOUT : timeout)
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      b.header("Accept", "application/json");
      if (auth) {
        b.header(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
      }
      if (requestId && !headers.containsKey("NTNX-Request-Id")) {
        b.header("NTNX-Request-Id", UUID.randomUUID().toString());
      }
      headers.forEach(b::header);
      return b.build();
    }

    Res send() {
      try {
        return sendOrThrow();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Res sendOrThrow() throws IOException {
      try {
        HttpResponse<String> r = http.send(build(), HttpResponse.BodyHandlers.ofString());
        return new Res(r.statusCode(), r.headers(), r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  Req req(String method, String path) {
    return new Req(method, path);
  }

  Res get(String path) {
    return req("GET", path).send();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ------------------------------------------------------------------ scenarios

  ObjectNode vmBody(String name) {
    return vmBody(name, null);
  }

  /** The contract's create body: one image disk, one NIC, cloud-init; optional category. */
  ObjectNode vmBody(String name, @Nullable String categoryExtId) {
    ObjectNode b = MAPPER.createObjectNode();
    b.put("name", name);
    b.put("description", "convergence lab test");
    b.put("numSockets", 2);
    b.put("numCoresPerSocket", 1);
    b.put("numThreadsPerCore", 1);
    b.put("memorySizeBytes", 8_589_934_592L);
    b.putObject("cluster").put("extId", pc.cluster(FakePrismCentral.DEFAULT_CLUSTER).extId());
    if (categoryExtId != null) {
      b.putArray("categories").addObject().put("extId", categoryExtId);
    }
    ObjectNode disk = b.putArray("disks").addObject();
    disk.putObject("diskAddress").put("busType", "SCSI").put("index", 0);
    ObjectNode backing = disk.putObject("backingInfo");
    backing.put("$objectType", "vmm.v4.ahv.config.VmDisk");
    backing.put("diskSizeBytes", 42_949_672_960L);
    backing
        .putObject("dataSource")
        .putObject("reference")
        .put("$objectType", "vmm.v4.ahv.config.ImageReference")
        .put("imageExtId", pc.image(FakePrismCentral.UBUNTU_IMAGE).extId());
    b.putArray("nics")
        .addObject()
        .putObject("networkInfo")
        .put("nicType", "NORMAL_NIC")
        .put("vlanMode", "ACCESS")
        .putObject("subnet")
        .put("extId", pc.subnet(FakePrismCentral.DEFAULT_SUBNET).extId());
    ObjectNode config = b.putObject("guestCustomization").putObject("config");
    config.put("$objectType", "vmm.v4.ahv.config.CloudInit");
    config
        .putObject("cloudInitScript")
        .put("$objectType", "vmm.v4.ahv.config.Userdata")
        .put(
            "value",
            Base64.getEncoder().encodeToString("#cloud-config\n".getBytes(StandardCharsets.UTF_8)));
    b.put("powerState", "OFF");
    return b;
  }

  /** Polls the task until it ends; returns its {@code data}. */
  JsonNode awaitTask(String taskId) {
    JsonNode[] last = new JsonNode[1];
    await(
        "task " + taskId + " terminal",
        () -> {
          Res r = get(FakePrismCentral.TASKS_PATH + "/" + q(taskId));
          assertThat(r.status()).as(r.body()).isEqualTo(200);
          last[0] = r.data();
          String s = last[0].get("status").asText();
          return s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("CANCELED");
        });
    return last[0];
  }

  JsonNode awaitSucceeded(String taskId) {
    JsonNode t = awaitTask(taskId);
    assertThat(t.get("status").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
    return t;
  }

  /** Creates a VM and waits for it; returns its extId. */
  String createVm(String name) {
    return createVm(vmBody(name));
  }

  String createVm(JsonNode body) {
    Res r = req("POST", FakePrismCentral.VMS_PATH).body(body).send();
    JsonNode task = awaitSucceeded(r.taskId());
    return task.get("entitiesAffected").get(0).get("extId").asText();
  }

  Res getVm(String extId) {
    return get(FakePrismCentral.VMS_PATH + "/" + extId);
  }

  /** GET then the action with the fresh ETag; returns the action's response. */
  Res action(String vmExtId, String action) {
    String etag = getVm(vmExtId).etag();
    return req("POST", FakePrismCentral.VMS_PATH + "/" + vmExtId + "/$actions/" + action)
        .ifMatch(etag)
        .body("{}")
        .send();
  }

  /** Powers on and waits for the learned address; returns the VM's data. */
  JsonNode powerOnAndBoot(String vmExtId) {
    awaitSucceeded(action(vmExtId, "power-on").taskId());
    JsonNode[] vm = new JsonNode[1];
    await(
        "learned IP of " + vmExtId,
        () -> {
          vm[0] = getVm(vmExtId).data();
          return vm[0].at("/nics/0/networkInfo/ipv4Info/learnedIpAddresses").size() > 0;
        });
    return vm[0];
  }

  String createCategory(String key, String value) {
    Res r =
        req("POST", FakePrismCentral.CATEGORIES_PATH)
            .body(
                MAPPER
                    .createObjectNode()
                    .put("key", key)
                    .put("value", value)
                    .put("description", "test"))
            .send();
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.data().get("extId").asText();
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static <T> T awaitValue(String what, Supplier<@Nullable T> value) {
    Object[] box = new Object[1];
    await(
        what,
        () -> {
          box[0] = value.get();
          return box[0] != null;
        });
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }
}
