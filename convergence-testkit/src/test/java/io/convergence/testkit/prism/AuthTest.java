package io.convergence.testkit.prism;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.testkit.prism.PrismTestClient.Res;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Basic and API-key authentication, session cookies and the non-JSON 401. */
class AuthTest {

  private FakePrismCentral pc;

  @AfterEach
  void stop() {
    if (pc != null) {
      pc.close();
    }
  }

  private PrismTestClient start(FakePrismCentral.Builder b) {
    pc = b.noLatency().start().seedDefaults();
    return new PrismTestClient(pc);
  }

  private static void assertNonJson401(Res r) {
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(r.body()).startsWith("<!DOCTYPE html>").doesNotContain("{\"");
    assertThat(r.header("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
  }

  @Test
  void noOrBadCredentialsGetA401ThatIsNotJson() {
    PrismTestClient c = start(FakePrismCentral.builder());
    assertNonJson401(c.req("GET", FakePrismCentral.CLUSTERS_PATH).noAuth().send());
    c.password = "wrong";
    assertNonJson401(c.get(FakePrismCentral.CLUSTERS_PATH));
    c.username = "root";
    c.password = FakePrismCentral.DEFAULT_PASSWORD;
    assertNonJson401(c.get(FakePrismCentral.CLUSTERS_PATH));
    assertNonJson401(
        c.req("GET", FakePrismCentral.CLUSTERS_PATH)
            .noAuth()
            .header("Authorization", "Bearer abc")
            .send());
    assertNonJson401(c.req("POST", FakePrismCentral.VMS_PATH).noAuth().body(c.vmBody("x")).send());
    assertThat(pc.vms()).isEmpty();
    assertThat(pc.sessionsIssued()).isZero();
  }

  @Test
  void basicAuthIssuesASessionCookieThatWorksAlone() {
    PrismTestClient c = start(FakePrismCentral.builder().credentials("svc", "s3cret"));
    c.username = "svc";
    c.password = "s3cret";
    Res first = c.get(FakePrismCentral.CLUSTERS_PATH);
    assertThat(first.status()).isEqualTo(200);
    String setCookie = first.header("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("NTNX_IGW_SESSION=")
        .contains("; Path=/", "; HttpOnly", "; Secure");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    Res withCookie =
        c.req("GET", FakePrismCentral.CLUSTERS_PATH).noAuth().header("Cookie", cookie).send();
    assertThat(withCookie.status()).isEqualTo(200);
    assertThat(withCookie.header("Set-Cookie")).as("no new session").isEmpty();
    assertThat(pc.sessionsIssued()).isEqualTo(1);

    c.username = FakePrismCentral.DEFAULT_USERNAME;
    c.password = FakePrismCentral.DEFAULT_PASSWORD;
    assertThat(c.get(FakePrismCentral.CLUSTERS_PATH).status())
        .as("configured credentials replace the default")
        .isEqualTo(401);
  }

  @Test
  void expiredSessionsGet401UntilTheClientReauthenticates() {
    PrismTestClient c = start(FakePrismCentral.builder());
    String setCookie = c.get(FakePrismCentral.CLUSTERS_PATH).header("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    pc.expireSessions();
    assertNonJson401(
        c.req("GET", FakePrismCentral.CLUSTERS_PATH).noAuth().header("Cookie", cookie).send());
    assertNonJson401(
        c.req("GET", FakePrismCentral.CLUSTERS_PATH)
            .noAuth()
            .header("Cookie", "NTNX_IGW_SESSION=forged")
            .send());
    Res again = c.req("GET", FakePrismCentral.CLUSTERS_PATH).header("Cookie", cookie).send();
    assertThat(again.status()).as("credentials still work").isEqualTo(200);
    String fresh = again.header("Set-Cookie").orElseThrow();
    assertThat(fresh).isNotEqualTo(setCookie);
    assertThat(
            c.req("GET", FakePrismCentral.CLUSTERS_PATH)
                .noAuth()
                .header("Cookie", "other=1; " + fresh.substring(0, fresh.indexOf(';')))
                .send()
                .status())
        .isEqualTo(200);
  }

  @Test
  void apiKeysAuthenticate() {
    PrismTestClient c = start(FakePrismCentral.builder().apiKey("key-123"));
    Res ok =
        c.req("GET", FakePrismCentral.CLUSTERS_PATH)
            .noAuth()
            .header("X-ntnx-api-key", "key-123")
            .send();
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("Set-Cookie")).isPresent();
    assertNonJson401(
        c.req("GET", FakePrismCentral.CLUSTERS_PATH)
            .noAuth()
            .header("X-ntnx-api-key", "key-124")
            .send());
    assertNonJson401(c.get(FakePrismCentral.CLUSTERS_PATH));
  }

  @Test
  void aCookieManagerReusesTheSessionWhenTheCookieIsNotSecure() {
    pc = FakePrismCentral.builder().secureCookie(false).noLatency().start().seedDefaults();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager())
            .build();
    PrismTestClient c = new PrismTestClient(pc, http);
    assertThat(c.get(FakePrismCentral.CLUSTERS_PATH).header("Set-Cookie").orElseThrow())
        .doesNotContain("Secure");
    assertThat(c.req("GET", FakePrismCentral.SUBNETS_PATH).noAuth().send().status()).isEqualTo(200);
    RecordedRequest last = pc.requests().get(pc.requests().size() - 1);
    assertThat(last.header("Authorization")).isEmpty();
    assertThat(last.header("Cookie")).hasValue("NTNX_IGW_SESSION=" + RecordedRequest.REDACTED);
  }

  @Test
  void theRequestLogNeverKeepsCredentials() {
    pc = FakePrismCentral.builder().credentials("admin", "pa55word").apiKey("k-999").start();
    PrismTestClient c = new PrismTestClient(pc);
    c.password = "pa55word";
    String cookie = c.get(FakePrismCentral.CLUSTERS_PATH).header("Set-Cookie").orElseThrow();
    String token = cookie.substring("NTNX_IGW_SESSION=".length(), cookie.indexOf(';'));
    c.req("GET", FakePrismCentral.CLUSTERS_PATH).noAuth().header("X-ntnx-api-key", "k-999").send();
    c.req("GET", FakePrismCentral.CLUSTERS_PATH)
        .noAuth()
        .header("Cookie", "NTNX_IGW_SESSION=" + token)
        .send();
    List<RecordedRequest> log = pc.requests();
    assertThat(log).hasSize(3);
    assertThat(log.get(0).header("Authorization")).hasValue("Basic <redacted>");
    assertThat(log.get(1).header("X-ntnx-api-key")).hasValue(RecordedRequest.REDACTED);
    assertThat(log.get(2).header("cookie")).hasValue("NTNX_IGW_SESSION=<redacted>");
    String all = log.toString();
    assertThat(all).doesNotContain("pa55word", "k-999", token, "YWRtaW46cGE1NXdvcmQ=");
  }
}
