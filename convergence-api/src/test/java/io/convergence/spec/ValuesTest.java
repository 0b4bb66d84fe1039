package io.convergence.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValuesTest {

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
    "8Gi, 8589934592",
    "512Mi, 536870912",
    "1.5Gi, 1610612736",
    "100, 100",
    "1k, 1000",
    "2G, 2000000000"
  })
  @DisplayName("quantities parse like Kubernetes quantities")
  void quantities(String text, long bytes) {
    assertThat(MemorySize.tryParse(text)).contains(new MemorySize(bytes));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"8GB, 8Gi", "8 gb, 8Gi", "512mb, 512Mi", "lots, 8Gi", "-1Gi, 8Gi", "0, 8Gi"})
  @DisplayName("a bad quantity is rejected with a corrected example")
  void badQuantities(String text, String hint) {
    assertThat(MemorySize.tryParse(text)).isEmpty();
    assertThat(MemorySize.describeInvalid(text)).endsWith("use e.g. " + hint);
  }

  @Test
  @DisplayName("sizes print in their shortest exact binary form")
  void sizeText() {
    assertThat(MemorySize.ofGiB(8)).hasToString("8Gi");
    assertThat(new MemorySize(1536L << 20)).hasToString("1536Mi");
    assertThat(MemorySize.ofMiB(1536).toGiB()).isEqualTo(2);
  }

  @Test
  @DisplayName("CPU quantities accept cores and millicores")
  void cpu() {
    assertThat(CpuAmount.tryParse("500m")).contains(new CpuAmount(500));
    assertThat(CpuAmount.tryParse("1.5")).contains(new CpuAmount(1500));
    assertThat(CpuAmount.tryParse("2")).map(Object::toString).contains("2");
    assertThat(CpuAmount.tryParse("2 cores")).isEmpty();
    assertThat(CpuAmount.tryParse("0")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "2h, PT2H",
    "1h30m, PT1H30M",
    "45s, PT45S",
    "250ms, PT0.25S",
    "7d, PT168H",
    "PT5M, PT5M"
  })
  @DisplayName("durations parse in short and ISO form and print short")
  void durations(String text, String iso) {
    Duration d = Duration.parse(iso);
    assertThat(DurationText.parse(text)).contains(d);
    assertThat(DurationText.parse(DurationText.format(d))).contains(d);
  }

  @Test
  @DisplayName("text that is not a duration is rejected")
  void badDurations() {
    assertThat(DurationText.parse("two hours")).isEmpty();
    assertThat(DurationText.parse("")).isEmpty();
    assertThat(DurationText.parse("5")).isEmpty();
  }

  @Test
  @DisplayName("references parse, resolve, and report malformed placeholders")
  void refs() {
    String text =
        "http://"
            + Ref.ref("tester").address(5985)
            + "/x?h="
            + Ref.ref("db").host()
            + "&bad=${ref:db}";

    Ref.Parsed parsed = Ref.parse(text);

    assertThat(parsed.refs())
        .containsExactly(Ref.ref("tester").address(5985), Ref.ref("db").host());
    assertThat(parsed.malformed()).containsExactly("${ref:db}");
    assertThat(Ref.resolve(text, r -> r.workload().toUpperCase()))
        .isEqualTo("http://TESTER/x?h=DB&bad=${ref:db}");
    assertThat(Ref.parse("${ref:unclosed.host").malformed()).hasSize(1);
  }

  @Test
  @DisplayName("secrets never show their value in toString, whatever the source")
  void secretToString() {
    assertThat(SecretValue.of("hunter2").toString()).doesNotContain("hunter2");
    assertThat(SecretValue.fromEnv("PW")).hasToString("SecretValue[env PW]");
    assertThat(SecretValue.of("a").reveal()).isEqualTo("a");
    assertThat(SecretValue.fromEnv("PW").reveal(n -> n.equals("PW") ? "v" : null)).isEqualTo("v");
  }

  @Test
  @DisplayName("specs are immutable values: equal when built alike, copies through toBuilder")
  void specValues() {
    VmSpec a = VmSpec.builder().image("w").cpus(2).expose(22).label("k", "v").build();
    VmSpec b = VmSpec.builder().image("w").cpus(2).expose(22).label("k", "v").build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toBuilder().build()).isEqualTo(a);
    assertThat(a.toBuilder().cpus(4).build()).isNotEqualTo(a);
    assertThat(a.ports()).isUnmodifiable();
    assertThat(a.labels()).isUnmodifiable();
  }
}
