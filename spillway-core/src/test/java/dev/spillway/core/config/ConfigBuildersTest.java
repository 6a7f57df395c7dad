package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The builders of the config records made in code (tests, the demo, benchmarks): the defaults of the sections left
 * unset, the message that names what a build is missing, and {@code toBuilder()} copies that differ in one part.
 */
class ConfigBuildersTest {
  private static final BackendConfig BACKEND =
      BackendConfig.builder().id("a").url(URI.create("https://a.example")).deployment("d").tier(Tier.PTU).build();
  private static final Map<String, ModelConfig> MODELS =
      Map.of("gpt-4o", ModelConfig.builder().name("gpt-4o").backends(List.of(BACKEND)).build());

  @Test
  void spillwayConfigLeavesOptionalSectionsAtTheirDefaults() {
    SpillwayConfig config =
        SpillwayConfig.builder().server(ServerConfig.DEFAULTS).routing(RoutingConfig.DEFAULTS).models(MODELS).build();

    assertThat(config.consumers()).isEmpty();
    assertThat(config.auth()).isEqualTo(AuthConfig.NONE);
    assertThat(config.admin()).isEqualTo(AdminConfig.LOOPBACK_ONLY);
    assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULTS);
    assertThat(config.ledger()).isEqualTo(LedgerConfig.OFF);
    assertThat(config.costs()).isEqualTo(CostsConfig.NONE);
    assertThat(config.telemetry()).isEqualTo(TelemetryConfig.DEFAULTS);
  }

  @Test
  void spillwayConfigBuildNamesEveryMissingRequiredSection() {
    assertThatThrownBy(() -> SpillwayConfig.builder().routing(RoutingConfig.DEFAULTS).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SpillwayConfig.builder() needs server, models set");
  }

  @Test
  void spillwayConfigToBuilderCopiesEverySectionButTheChangedOne() {
    SpillwayConfig original = SpillwayConfig.builder()
        .server(ServerConfig.DEFAULTS)
        .routing(RoutingConfig.DEFAULTS)
        .models(MODELS)
        .admin(AdminConfig.builder().apiKey("admin-key-0123456789").build())
        .limits(new LimitsConfig(LimitsConfig.Store.REDIS, "redis://127.0.0.1:6379", false, 10))
        .build();

    SpillwayConfig copy = original.toBuilder().telemetry(new TelemetryConfig(true, true, Optional.empty())).build();

    assertThat(copy.telemetry().consumerLabel()).isTrue();
    assertThat(copy.admin()).isEqualTo(original.admin());
    assertThat(copy.limits()).isEqualTo(original.limits());
    assertThat(copy.models()).isEqualTo(original.models());
    assertThat(original.toBuilder().build()).isEqualTo(original);
  }

  @Test
  void spillwayConfigBuilderRejectsNullSections() {
    assertThatThrownBy(() -> SpillwayConfig.builder().ledger(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ledger");
  }

  @Test
  void backendConfigDefaultsAreWhereAConfigFileLeavesThem() {
    SpillwayConfig loaded = ConfigLoader.parse(
        """
        models:
          gpt-4o:
            backends:
              - { id: a, url: "https://a.example", deployment: d, tier: ptu }
        """,
        "spillway.yaml",
        name -> null);

    assertThat(BACKEND).isEqualTo(loaded.model("gpt-4o").orElseThrow().backends().getFirst());
  }

  @Test
  void backendConfigBuildNamesEveryMissingRequiredPart() {
    assertThatThrownBy(() -> BackendConfig.builder().id("ptu-east").deployment("d").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("BackendConfig.builder() needs url, tier set (backend ptu-east)");
  }

  @Test
  void backendConfigBuildStillChecksPriorityAndWeight() {
    assertThatThrownBy(() -> BACKEND.toBuilder().weight(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight must be >= 1, was 0");
  }

  @Test
  void backendConfigToBuilderChangesOnlyWhatIsSet() {
    BackendConfig payg = BACKEND.toBuilder().id("b").tier(Tier.PAYG).priority(2).build();

    assertThat(payg).isEqualTo(new BackendConfig("b", BACKEND.type(), BACKEND.url(), BACKEND.deployment(),
        BACKEND.apiVersion(), BACKEND.auth(), Tier.PAYG, 2, BACKEND.weight(), BACKEND.region(), BACKEND.timeouts(),
        BACKEND.tls(), BACKEND.capacity(), BACKEND.azureSpillover(), BACKEND.http2()));
  }

  @Test
  void modelConfigDefaultsAreWhereAConfigFileLeavesThem() {
    SpillwayConfig loaded = ConfigLoader.parse(
        """
        models:
          gpt-4o:
            backends:
              - { id: a, url: "https://a.example", deployment: d, tier: ptu }
        """,
        "spillway.yaml",
        name -> null);

    assertThat(MODELS.get("gpt-4o")).isEqualTo(loaded.model("gpt-4o").orElseThrow());
  }

  @Test
  void modelConfigBuildNamesEveryMissingRequiredPart() {
    assertThatThrownBy(() -> ModelConfig.builder().strategy(RoutingStrategy.ROUND_ROBIN).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ModelConfig.builder() needs name, backends set");
  }

  @Test
  void modelConfigToBuilderKeepsTheAffinity() {
    ModelConfig sticky = ModelConfig.builder()
        .name("m")
        .backends(List.of(BACKEND))
        .affinity(new SessionAffinity(SessionAffinity.Source.HEADER, "x-session"))
        .build();

    ModelConfig waiting = sticky.toBuilder().maxWaitForPtu(Duration.ofSeconds(2)).build();

    assertThat(waiting.affinity()).isEqualTo(sticky.affinity());
    assertThat(waiting.maxWaitForPtu()).isEqualTo(Duration.ofSeconds(2));
    assertThat(waiting.toBuilder().maxWaitForPtu(Duration.ZERO).build()).isEqualTo(sticky);
  }

  @Test
  void serverConfigBuilderStartsAtTheDefaults() {
    assertThat(ServerConfig.builder().build()).isEqualTo(ServerConfig.DEFAULTS);
    assertThat(ConfigLoader.parse("models: {m: {backends: [{id: a, url: \"https://a.example\", deployment: d, tier: ptu}]}}",
        "spillway.yaml", name -> null).server()).isEqualTo(ServerConfig.DEFAULTS);
  }

  @Test
  void serverConfigBuildChecksTheRanges() {
    assertThatThrownBy(() -> ServerConfig.builder().maxHeaderBytes(100).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxHeaderBytes must be at least 1024, was 100");
  }

  @Test
  void serverConfigToBuilderKeepsTls() {
    ServerConfig https = ServerConfig.builder().tls(new TlsConfig(Path.of("cert.pem"), Path.of("key.pem"))).build();

    ServerConfig moved = https.toBuilder().port(0).build();

    assertThat(moved.tls()).isEqualTo(https.tls());
    assertThat(moved.toBuilder().port(https.port()).build()).isEqualTo(https);
  }

  @Test
  void consumerConfigDefaultsAreWhereAConfigFileLeavesThem() {
    ConsumerConfig built = ConsumerConfig.builder().id("app").team("retail").build();

    assertThat(built.models()).isEmpty();
    assertThat(built.mayUse("gpt-4o")).isFalse();
    assertThat(built.priorityClass()).isEqualTo(PriorityClass.STANDARD);
    assertThat(built.jwtSubjects()).isEmpty();
    assertThat(built.limits()).isEqualTo(LimitSettings.NONE);
  }

  @Test
  void consumerConfigBuildNamesEveryMissingRequiredPart() {
    assertThatThrownBy(() -> ConsumerConfig.builder().models(List.of("*")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ConsumerConfig.builder() needs id, team set");
  }

  @Test
  void consumerConfigToBuilderChangesOnlyWhatIsSet() {
    ConsumerConfig app = ConsumerConfig.builder()
        .id("app")
        .team("retail")
        .models(List.of("gpt-*"))
        .priorityClass(PriorityClass.CRITICAL)
        .jwtSubjects(List.of("app-123"))
        .build();

    ConsumerConfig moved = app.toBuilder().team("finance").build();

    assertThat(moved).isEqualTo(ConsumerConfig.builder().id("app").team("finance").models(app.models()).priorityClass(app.priorityClass()).jwtSubjects(app.jwtSubjects()).limits(app.limits()).build());
  }

  @Test
  void routingConfigBuilderStartsAtTheDefaults() {
    assertThat(RoutingConfig.builder().build()).isEqualTo(RoutingConfig.DEFAULTS);
  }

  @Test
  void routingConfigBuildChecksTheRanges() {
    assertThatThrownBy(() -> RoutingConfig.builder().maxAttempts(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 0, was -1");
  }

  @Test
  void adminConfigBuilderStartsLoopbackOnlyAndToBuilderKeepsEveryValue() {
    assertThat(AdminConfig.builder().build()).isEqualTo(AdminConfig.LOOPBACK_ONLY);

    AdminConfig admin =
        AdminConfig.builder().apiKey("admin-key-0123456789").jwtRole("Spillway.Admin").listen("127.0.0.1:9090").build();

    assertThat(admin.toBuilder().build()).isEqualTo(admin);
    assertThat(admin.toBuilder().metricsAccess(MetricsAccess.OPEN).build().listen()).contains("127.0.0.1:9090");
  }
}
