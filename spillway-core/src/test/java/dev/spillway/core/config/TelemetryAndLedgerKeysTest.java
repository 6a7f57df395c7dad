package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code telemetry:} (opt-in labels, OTLP export) and {@code ledger.postgres}. */
class TelemetryAndLedgerKeysTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - id: a
              url: https://a.example
              deployment: d
              tier: ptu
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", Map.of("PGPASS", "s3cret-pg-password")::get);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void telemetryIsOffByDefault() {
    assertThat(parse("").telemetry()).isEqualTo(TelemetryConfig.DEFAULTS);
  }

  @Test
  void labelsAndOtlpAreRead() {
    TelemetryConfig t = parse("""
        telemetry:
          metricLabels: [team, consumer]
          otlp:
            endpoint: http://127.0.0.1:4318
            serviceName: gw-eu
            interval: 30s
            traces: false
        """).telemetry();
    assertThat(t.consumerLabel()).isTrue();
    assertThat(t.teamLabel()).isTrue();
    assertThat(t.otlp()).contains(new OtlpConfig(URI.create("http://127.0.0.1:4318"), "gw-eu", Duration.ofSeconds(30), true, false));
  }

  @Test
  void otlpDefaultsNeedOnlyTheEndpoint() {
    OtlpConfig otlp = parse("telemetry: {otlp: {endpoint: 'https://collector.example:4318'}}").telemetry().otlp().orElseThrow();
    assertThat(otlp.serviceName()).isEqualTo("spillway");
    assertThat(otlp.interval()).isEqualTo(OtlpConfig.DEFAULT_INTERVAL);
    assertThat(otlp.metrics()).isTrue();
    assertThat(otlp.traces()).isTrue();
  }

  @Test
  void telemetryMistakesAreReportedWithTheirLines() {
    assertThat(problems("""
        telemetry:
          metricLabels: [consumer, clientIp]
          otlp:
            serviceName: x
            colour: blue
        """)).containsExactlyInAnyOrder(
            "spillway.yaml:9: telemetry.metricLabels[1]: must be consumer or team, got \"clientIp\"",
            "spillway.yaml:10: telemetry.otlp.endpoint: is required",
            "spillway.yaml:12: telemetry.otlp.colour: unknown key (expected one of endpoint, serviceName, interval, metrics, traces)")
        .hasSize(3);
  }

  @Test
  void postgresLedgerIsRead_andItsPasswordNeverPrinted() {
    LedgerConfig ledger = parse("""
        ledger:
          postgres:
            url: jdbc:postgresql://127.0.0.1:5432/spillway
            user: gateway
            password: ${PGPASS}
            poolSize: 8
        """).ledger();
    assertThat(ledger.enabled()).isTrue();
    assertThat(ledger.sqliteFile()).isEmpty();
    assertThat(ledger.postgres()).contains(
        new PostgresLedger("jdbc:postgresql://127.0.0.1:5432/spillway", "gateway", Optional.of("s3cret-pg-password"), 8));
    assertThat(ledger.toString()).doesNotContain("s3cret-pg-password");
  }

  @Test
  void postgresMistakes() {
    List<String> problems = problems("""
        ledger:
          sqlite: ledger.db
          postgres:
            url: jdbc:postgresql://u:pw@127.0.0.1/x?password=pw
        """);
    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst()).contains("ledger.postgres.url").contains("must not contain a password").doesNotContain(":pw");
    assertThat(problems("ledger: {postgres: {url: 'mysql://x'}}").getFirst()).contains("must start with jdbc:postgresql://");
    assertThat(problems("""
        ledger:
          sqlite: ledger.db
          postgres: {url: 'jdbc:postgresql://127.0.0.1/x'}
        """)).singleElement().asString().contains("not both");
  }
  @Test
  void ledgerWriteTimeoutDefaultsTo250msAndIsReadWithinItsRange() {
    assertThat(parse("ledger: {sqlite: ledger.db}").ledger().writeTimeout()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(parse("ledger: {sqlite: ledger.db, writeTimeout: 50ms}").ledger().writeTimeout())
        .isEqualTo(java.time.Duration.ofMillis(50));
    assertThat(problems("""
        ledger:
          sqlite: ledger.db
          writeTimeout: 5ms
        """)).singleElement().asString().contains("spillway.yaml:10").contains("ledger.writeTimeout").contains("10ms to 60s");
    assertThat(problems("ledger: {sqlite: ledger.db, writeTimeout: soon}")).singleElement().asString()
        .contains("ledger.writeTimeout").contains("duration");
  }

  @Test
  void endUsersComeFromTheBodyUnlessAHeaderIsNamedWhichIsReadInLowerCase() {
    assertThat(parse("ledger: {sqlite: ledger.db}").ledger().endUserHeader()).isEmpty();
    assertThat(parse("ledger: {sqlite: ledger.db, endUserHeader: X-End-User}").ledger().endUserHeader())
        .contains("x-end-user");
  }

  @Test
  void theEndUserHeaderIsAHeaderNameAndNeverOneThatCarriesCredentials() {
    assertThat(problems("""
        ledger:
          sqlite: ledger.db
          endUserHeader: Authorization
        """)).singleElement().asString().contains("spillway.yaml:10").contains("ledger.endUserHeader")
        .contains("carries credentials");
    assertThat(problems("ledger: {sqlite: ledger.db, endUserHeader: api-key}")).singleElement().asString()
        .contains("credentials");
    assertThat(problems("ledger: {sqlite: ledger.db, endUserHeader: 'x end user'}")).singleElement().asString()
        .contains("must be a header name");
    assertThat(problems("ledger: {sqlite: ledger.db, endUserHeader: ''}")).singleElement().asString()
        .contains("must not be empty");
  }
}
