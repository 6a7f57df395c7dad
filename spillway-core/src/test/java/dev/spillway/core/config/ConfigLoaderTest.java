package dev.spillway.core.config;

import dev.spillway.core.policies.MaxTokensSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String EAST_KEY = "east-secret-1111";
  private static final String SWEDEN_KEY = "sweden-secret-2222";
  private static final String PEPPER = "pepper-secret-0123456789";
  private static final String ADMIN_KEY = "admin-secret-0123456789";
  private static final Map<String, String> ENV =
      Map.of(
          "AOAI_EASTUS_KEY", EAST_KEY,
          "AOAI_SWEDENCENTRAL_KEY", SWEDEN_KEY,
          "SPILLWAY_KEY_PEPPER", PEPPER,
          "SPILLWAY_ADMIN_KEY", ADMIN_KEY);

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "spillway.yaml", ENV::get);
  }

  private static ConfigException failure(String yaml, Map<String, String> env) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "spillway.yaml", env::get));
    assertThat(e).as("expected a ConfigException").isNotNull();
    return e;
  }

  private static List<String> problems(String yaml) {
    return failure(yaml, ENV).problems().stream().map(ConfigProblem::toString).toList();
  }

  /** A valid single-backend config with {@code backendExtra} appended to the backend (8-space indent). */
  private static String oneBackend(String backendExtra) {
    return """
        models:
          gpt-4o:
            backends:
              - id: ptu-eastus
                url: https://contoso.openai.azure.com
                deployment: gpt-4o-ptu
                tier: ptu
        """
        + backendExtra;
  }

  // ---- the example and defaults ----

  @Test
  void loadsTheExampleFileWithEveryValueFromItsComments() throws IOException {
    String yaml = Files.readString(Path.of("../examples/spillway.yaml"));
    SpillwayConfig config = ConfigLoader.parse(yaml, "spillway.yaml", ENV::get);

    assertThat(config.server()).isEqualTo(ServerConfig.builder()
        .host("127.0.0.1")
        .port(8080)
        .maxBodyBytes(16L * 1024 * 1024)
        .build());
    assertThat(config.routing()).isEqualTo(RoutingConfig.DEFAULTS);
    assertThat(config.models()).containsOnlyKeys("gpt-4o", "text-embedding-3-small");
    assertThat(config.models().keySet()).containsExactly("gpt-4o", "text-embedding-3-small");

    assertThat(config.routing().requestDeadline()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.routing().breaker()).isEqualTo(BreakerConfig.DEFAULTS);

    ModelConfig gpt4o = config.model("gpt-4o").orElseThrow();
    assertThat(gpt4o.strategy()).isEqualTo(RoutingStrategy.PRIORITY);
    assertThat(gpt4o.groupStrategy()).isEqualTo(RoutingStrategy.WEIGHTED);
    assertThat(gpt4o.maxWaitForPtu()).isEqualTo(Duration.ofMillis(1500));
    assertThat(gpt4o.maxPtuWaiters()).isEqualTo(1000);
    assertThat(gpt4o.predictiveSpill()).isEqualTo(PredictiveSpill.OFF);
    assertThat(gpt4o.affinity()).isEmpty();
    assertThat(gpt4o.backends())
        .extracting(BackendConfig::id)
        .containsExactly("ptu-eastus", "ptu-swedencentral", "payg-eastus", "payg-swedencentral");
    BackendConfig ptuEast = gpt4o.backends().getFirst();
    assertThat(ptuEast.type()).isEqualTo(BackendType.AZURE);
    assertThat(ptuEast.url()).isEqualTo(URI.create("https://contoso-eastus.openai.azure.com"));
    assertThat(ptuEast.deployment()).isEqualTo("gpt-4o-ptu");
    assertThat(ptuEast.apiVersion()).isEqualTo("2024-10-21");
    assertThat(ptuEast.auth().apiKey()).contains(EAST_KEY);
    assertThat(ptuEast.tier()).isEqualTo(Tier.PTU);
    assertThat(ptuEast.priority()).isEqualTo(1);
    assertThat(ptuEast.region()).isEqualTo("eastus");
    assertThat(ptuEast.timeouts()).isEqualTo(BackendTimeouts.DEFAULTS);
    BackendConfig paygSweden = gpt4o.backends().get(3);
    assertThat(paygSweden.tier()).isEqualTo(Tier.PAYG);
    assertThat(paygSweden.priority()).isEqualTo(2);
    assertThat(paygSweden.auth().apiKey()).contains(SWEDEN_KEY);

    assertThat(config.model("text-embedding-3-small").orElseThrow().maxWaitForPtu()).isZero();
    BackendConfig embeddings = config.model("text-embedding-3-small").orElseThrow().backends().getFirst();
    assertThat(embeddings.tier()).isEqualTo(Tier.PAYG);
    assertThat(embeddings.deployment()).isEqualTo("text-embedding-3-small");

    assertThat(config.server().maxHeaderBytes()).isEqualTo(ServerConfig.DEFAULT_MAX_HEADER_BYTES);
    assertThat(config.server().maxMessages()).isEqualTo(ServerConfig.DEFAULT_MAX_MESSAGES);
    assertThat(config.server().requestTimeout()).isEqualTo(ServerConfig.DEFAULT_REQUEST_TIMEOUT);
    assertThat(config.server().idleTimeout()).isEqualTo(ServerConfig.DEFAULT_IDLE_TIMEOUT);
    assertThat(config.server().tls()).isEmpty();
    assertThat(config.consumers())
        .containsExactly(
            ConsumerConfig.builder().id("search-app").team("retail").models(List.of("gpt-4o", "text-embedding-*")).priorityClass(PriorityClass.STANDARD).jwtSubjects(List.of()).limits(new LimitSettings(
                    Map.of(
                        dev.spillway.core.limits.LimitKind.TOKENS_PER_MINUTE, 100_000L,
                        dev.spillway.core.limits.LimitKind.REQUESTS_PER_MINUTE, 600L,
                        dev.spillway.core.limits.LimitKind.TOKENS_PER_DAY, 5_000_000L,
                        dev.spillway.core.limits.LimitKind.TOKENS_PER_MONTH, 50_000_000L),
                    List.of("consumer")))
                .spillRights(SpillRights.budget(Map.of(BudgetPeriod.DAY, new java.math.BigDecimal("50")))).build(),
            ConsumerConfig.builder()
                .id("nightly-batch")
                .team("analytics")
                .models(List.of("gpt-4o"))
                .priorityClass(PriorityClass.BATCH)
                .policySettings(PolicySettings.of(List.of(new MaxTokensSettings(
                    java.util.OptionalLong.empty(), java.util.OptionalLong.of(2048), Optional.of(MaxTokensSettings.OverCap.REFUSE)))))
                .spillRights(SpillRights.denied())
                .build());
    assertThat(config.teams()).containsExactly(Map.entry("retail", new TeamConfig("retail", SpillRights.budget(Map.of(
        BudgetPeriod.WEEK, new java.math.BigDecimal("300"), BudgetPeriod.MONTH, new java.math.BigDecimal("1000"))))));
    assertThat(config.policySettings().get(MaxTokensSettings.class))
        .contains(new MaxTokensSettings(
            java.util.OptionalLong.of(1024), java.util.OptionalLong.of(8192), Optional.of(MaxTokensSettings.OverCap.LOWER)));
    assertThat(config.pipeline()).isEqualTo(PipelineConfig.DEFAULT);
    assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULTS);
    assertThat(config.auth())
        .isEqualTo(new AuthConfig(true, AuthConfig.DEFAULT_KEY_STORE, Optional.of(PEPPER), List.of()));
    assertThat(config.admin())
        .isEqualTo(AdminConfig.builder().apiKey(ADMIN_KEY).listen("127.0.0.1:9090").build());
    assertThat(config.toString()).doesNotContain(EAST_KEY, SWEDEN_KEY, PEPPER, ADMIN_KEY);
  }

  @Test
  void everyCommentedOutAlternativeInTheExampleIsValidWhenUncommented(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tls.crt"), "cert");
    Files.writeString(dir.resolve("tls.key"), "key");
    String yaml =
        uncomment(Files.readString(Path.of("../examples/spillway.yaml")), "  # tls:", "  # jwt:", "    # jwtSubjects:", "  # jwtRole:")
            .replace("/etc/spillway/tls.", dir + "/tls.")
            .replace("<tenant>", "11111111-2222-3333-4444-555555555555");
    String entra =
        uncomment(yaml, "          # entra:")
            .replaceFirst("          apiKey: \\$\\{AOAI_EASTUS_KEY}[^\n]*\n", "")
            .replace("<application id>", "app-id");
    Map<String, String> env = new HashMap<>(ENV);
    env.put("AOAI_CLIENT_SECRET", "client-secret-value");

    SpillwayConfig config = ConfigLoader.parse(entra, "spillway.yaml", env::get);

    assertThat(config.server().tls()).contains(new TlsConfig(dir.resolve("tls.crt"), dir.resolve("tls.key")));
    JwtIssuerConfig issuer = config.auth().jwtIssuers().getFirst();
    assertThat(issuer.algorithms()).containsExactly("RS256");
    assertThat(issuer.consumerClaim()).isEqualTo("appid");
    assertThat(config.consumer("search-app").orElseThrow().jwtSubjects())
        .containsExactly("00000000-0000-0000-0000-000000000001");
    assertThat(config.admin().jwtRole()).contains("Spillway.Admin");
    EntraCredentials credentials =
        config.model("gpt-4o").orElseThrow().backends().getFirst().auth().entra().orElseThrow();
    assertThat(credentials.tokenUrl())
        .isEqualTo(EntraCredentials.tokenUrlForTenant("11111111-2222-3333-4444-555555555555"));
    assertThat(credentials.scope()).isEqualTo(EntraCredentials.COGNITIVE_SERVICES_SCOPE);
  }

  /**
   * Removes the first {@code "# "} from each line that starts with one of {@code firstLines} and
   * from the lines of its commented block: those that follow it with the same indent and {@code "#   "}.
   */
  @Test
  void theExamplesCommentedCacheSectionIsValid() throws Exception {
    SpillwayConfig config = parse(uncomment(Files.readString(Path.of("../examples/spillway.yaml")), "# cache:"));
    dev.spillway.core.cache.CacheSettings.Resolved cache =
        config.policySettings().get(dev.spillway.core.cache.CacheSettings.class).orElseThrow().resolved();
    assertThat(cache.enabled()).isTrue();
    assertThat(cache.semantic()).isTrue();
    assertThat(cache.thresholdFor("gpt-4o")).isEqualTo(0.95);
    assertThat(cache.thresholdFor("other")).isEqualTo(dev.spillway.core.cache.CacheSettings.DEFAULT_THRESHOLD);
  }

  @Test
  void theExamplesGuardSectionIsValidWhenUncommented() throws IOException {
    SpillwayConfig config = parse(uncomment(Files.readString(Path.of("../examples/spillway.yaml")), "# guard:"));
    dev.spillway.core.guard.GuardSettings guard =
        config.policySettings().get(dev.spillway.core.guard.GuardSettings.class).orElseThrow();
    assertThat(guard.profileFor(java.util.Optional.empty(), "sales")).map(p -> p.name()).contains("standard");
    assertThat(guard.profileFor(java.util.Optional.empty(), "research")).isEmpty();
    assertThat(guard.named("standard").orElseThrow().input().injection()).isPresent();
    assertThat(guard.abuse().suspendAt()).contains(0.8);
  }

  static String uncomment(String yaml, String... firstLines) {
    StringBuilder out = new StringBuilder();
    String block = null;
    for (String line : yaml.split("\n", -1)) {
      if (block != null && !line.startsWith(block)) {
        block = null;
      }
      for (String first : firstLines) {
        if (line.startsWith(first)) {
          block = line.substring(0, line.indexOf('#')) + "#   ";
        }
      }
      if (block != null) {
        int hash = line.indexOf("# ");
        line = line.substring(0, hash) + line.substring(hash + 2);
      }
      out.append(line).append('\n');
    }
    return out.substring(0, out.length() - 1);
  }

  @Test
  void theExamplesPlanSectionIsValidWhenUncommented() throws IOException {
    SpillwayConfig config = parse(uncomment(Files.readString(Path.of("../examples/spillway.yaml")), "# plan:"));
    assertThat(config.costs().ptuUnitMonthly()).contains(new java.math.BigDecimal("360"));
    assertThat(config.plan().burst()).isEqualTo(Duration.ofSeconds(10));
    PlanConfig.PtuFigures gpt4o = config.plan().figures("gpt-4o");
    assertThat(gpt4o.azureModel()).contains("gpt-4o");
    assertThat(gpt4o.inputTokensPerMinutePerPtu()).hasValue(2_500);
    assertThat(gpt4o.outputTokenWeight()).contains(new java.math.BigDecimal("4"));
    assertThat(gpt4o.minimumPtu()).hasValue(50);
    assertThat(gpt4o.ptuIncrement()).hasValue(50);
  }

  @Test
  void theExamplesPipelineLineIsTheDefaultOrderWithItsLines() throws IOException {
    SpillwayConfig config = parse(uncomment(Files.readString(Path.of("../examples/spillway.yaml")), "# pipeline:"));
    assertThat(config.pipeline().source()).isEqualTo("spillway.yaml");
    assertThat(config.pipeline().stages())
        .extracting(PipelineConfig.Stage::name)
        .containsExactly(
            "authenticate", "models", "parse", "fileModel", "objects", "objectLists", "authorizeModel", "guard",
            "estimateTokens", "promptPrefix", "maxTokens", "cache", "limits", "spillRights", "forward", "batchUsage",
            "metering");
    assertThat(config.pipeline().stages()).extracting(PipelineConfig.Stage::line).allMatch(line -> line > 0);
  }

  @Test
  void aPipelineIsANonEmptyListOfStageNames() {
    String models = "models:\n  gpt-4o:\n    backends:\n      - { id: b, url: \"http://127.0.0.1:9\", deployment: d, tier: payg }\n";
    assertThat(problems(models + "pipeline: forward\n"))
        .anyMatch(p -> p.startsWith("spillway.yaml:5: pipeline: must be a list of stage names"));
    assertThat(problems(models + "pipeline: []\n"))
        .containsExactly("spillway.yaml:5: pipeline: must name at least the terminal stage (forward)");
  }

  @Test
  void exampleFileListenAddressComesFromTheEnvironmentWhenSet() throws IOException {
    String yaml = Files.readString(Path.of("../examples/spillway.yaml"));
    Map<String, String> env = new HashMap<>(ENV);
    env.put("SPILLWAY_LISTEN", "0.0.0.0:0");

    SpillwayConfig config = ConfigLoader.parse(yaml, "spillway.yaml", env::get);

    assertThat(config.server().host()).isEqualTo("0.0.0.0");
    assertThat(config.server().port()).isZero();
  }

  @Test
  void loadReadsAFileAndNamesItInProblems(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("spillway.yaml");
    Files.writeString(file, oneBackend(""));
    assertThat(ConfigLoader.load(file).models()).containsOnlyKeys("gpt-4o");

    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing + ": file not found");
  }

  @Test
  void omittedSectionsAndKeysTakeTheDefaults() {
    SpillwayConfig config = parse(oneBackend(""));

    assertThat(config.server()).isEqualTo(ServerConfig.DEFAULTS);
    assertThat(config.routing()).isEqualTo(RoutingConfig.DEFAULTS);
    assertThat(config.routing().requestDeadline()).isEqualTo(RoutingConfig.DEFAULT_REQUEST_DEADLINE);
    assertThat(config.routing().breaker()).isEqualTo(BreakerConfig.DEFAULTS);
    ModelConfig model = config.model("gpt-4o").orElseThrow();
    assertThat(model.strategy()).isEqualTo(RoutingStrategy.PRIORITY);
    assertThat(model.groupStrategy()).isEqualTo(RoutingStrategy.WEIGHTED);
    assertThat(model.maxWaitForPtu()).isZero();
    assertThat(model.maxPtuWaiters()).isEqualTo(ModelConfig.DEFAULT_MAX_PTU_WAITERS);
    assertThat(model.predictiveSpill()).isEqualTo(PredictiveSpill.OFF);
    assertThat(model.affinity()).isEmpty();
    BackendConfig backend = model.backends().getFirst();
    assertThat(backend.type()).isEqualTo(BackendType.AZURE);
    assertThat(backend.apiVersion()).isEqualTo(BackendConfig.DEFAULT_API_VERSION);
    assertThat(backend.auth()).isEqualTo(BackendAuth.NONE);
    assertThat(backend.priority()).isEqualTo(1);
    assertThat(backend.weight()).isEqualTo(1);
    assertThat(backend.region()).isEmpty();
    assertThat(backend.timeouts()).isEqualTo(BackendTimeouts.DEFAULTS);
  }

  @Test
  void readsEverySettingWhenGiven() {
    SpillwayConfig config =
        parse(
            """
            server:
              listen: "[::1]:9090"
              maxBodyBytes: 512KiB
            routing:
              defaultRetryAfter: 1m30s
              maxRetryAfter: 2m
              maxAttempts: 3
            models:
              gpt-4o:
                strategy: priority
                backends:
                  - id: oai
                    type: openai
                    url: https://api.openai.com/v1/
                    model: gpt-4o-2024-08-06
                    auth: { apiKey: "${AOAI_EASTUS_KEY}" }
                    tier: payg
                    priority: 3
                    weight: 50
                    region: global
                    timeouts: { connect: 250ms, firstByte: 30s, idle: 15s, total: 1h }
            """);

    assertThat(config.server()).isEqualTo(ServerConfig.builder()
        .host("::1")
        .port(9090)
        .maxBodyBytes(512 * 1024)
        .build());
    assertThat(config.routing())
        .isEqualTo(RoutingConfig.builder()
            .defaultRetryAfter(Duration.ofSeconds(90))
            .maxRetryAfter(Duration.ofMinutes(2))
            .maxAttempts(3)
            .build());
    BackendConfig backend = config.model("gpt-4o").orElseThrow().backends().getFirst();
    assertThat(backend)
        .isEqualTo(
            BackendConfig.builder()
                .id("oai")
                .type(BackendType.OPENAI)
                .url(URI.create("https://api.openai.com/v1"))
                .deployment("gpt-4o-2024-08-06")
                .apiVersion(BackendConfig.DEFAULT_API_VERSION)
                .auth(BackendAuth.apiKey(EAST_KEY))
                .tier(Tier.PAYG)
                .priority(3)
                .weight(50)
                .region("global")
                .timeouts(new BackendTimeouts(
                    Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofHours(1)))
                .build());
  }

  @Test
  void openaiBackendWithoutModelUsesTheLogicalModelName() {
    SpillwayConfig config =
        parse(
            """
            models:
              gpt-4o-mini:
                backends:
                  - { id: oai, type: openai, url: "https://api.openai.com/v1", tier: payg }
            """);

    assertThat(config.model("gpt-4o-mini").orElseThrow().backends().getFirst().deployment())
        .isEqualTo("gpt-4o-mini");
  }

  @Test
  void deploymentKeyIsAcceptedForOpenaiAndModelKeyForAzure() {
    SpillwayConfig config =
        parse(
            """
            models:
              m:
                backends:
                  - { id: a, type: azure, url: "https://a.example", model: dep-a, tier: ptu }
                  - { id: b, type: openai, url: "https://b.example/v1", deployment: model-b, tier: payg }
            """);

    assertThat(config.model("m").orElseThrow().backends())
        .extracting(BackendConfig::deployment)
        .containsExactly("dep-a", "model-b");
  }

  // ---- validation: each problem names its key path and line ----

  @Test
  void urlThatIsNotAnAbsoluteHttpUrlIsRejectedWithItsLine() {
    assertThat(problems(oneBackend("").replace("https://contoso.openai.azure.com", "foo")))
        .containsExactly(
            "spillway.yaml:5: models.gpt-4o.backends[0].url: must be an absolute http(s) URL, got \"foo\"");
    assertThat(problems(oneBackend("").replace("https://contoso.openai.azure.com", "ftp://contoso")))
        .containsExactly(
            "spillway.yaml:5: models.gpt-4o.backends[0].url: must be an absolute http(s) URL, got \"ftp://contoso\"");
  }

  @Test
  void urlWithQueryOrCredentialsIsRejectedWithoutEchoingThem() {
    List<String> query = problems(oneBackend("").replace(".com", ".com/?api-key=hunter2"));
    assertThat(query)
        .containsExactly(
            "spillway.yaml:5: models.gpt-4o.backends[0].url: must not have a query or fragment (api-version has its own key)");

    List<String> userInfo = problems(oneBackend("").replace("https://", "https://bob:hunter2@"));
    assertThat(userInfo).singleElement().asString().startsWith("spillway.yaml:5: models.gpt-4o.backends[0].url: must not contain credentials");
    assertThat(String.join("\n", query) + userInfo).doesNotContain("hunter2");
  }

  @Test
  void urlTrailingSlashIsDropped() {
    BackendConfig backend =
        parse(oneBackend("").replace(".azure.com", ".azure.com/")).model("gpt-4o").orElseThrow().backends().getFirst();
    assertThat(backend.url()).isEqualTo(URI.create("https://contoso.openai.azure.com"));
  }

  @Test
  void backendIdUsedUnderTwoModelsIsReportedAtTheSecondUse() {
    List<String> problems =
        problems(
            """
            models:
              gpt-4o:
                backends:
                  - { id: shared, url: "https://a.example", deployment: a, tier: ptu }
              gpt-4o-mini:
                backends:
                  - { id: shared, url: "https://a.example", deployment: b, tier: ptu }
            """);

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:7: models.gpt-4o-mini.backends[0].id: duplicate backend id \"shared\"; ids must be"
                + " unique across all models (first used at models.gpt-4o.backends[0].id, line 4)");
  }

  @Test
  void emptyIdIsRejected() {
    assertThat(problems(oneBackend("").replace("id: ptu-eastus", "id: \"  \"")))
        .containsExactly("spillway.yaml:4: models.gpt-4o.backends[0].id: must not be empty");
  }

  @Test
  void priorityAndWeightMustBeAtLeastOne() {
    assertThat(problems(oneBackend("        priority: 0\n        weight: -2\n")))
        .containsExactly(
            "spillway.yaml:8: models.gpt-4o.backends[0].priority: must be a whole number >= 1, got \"0\"",
            "spillway.yaml:9: models.gpt-4o.backends[0].weight: must be a whole number >= 1, got \"-2\"");
    assertThat(problems(oneBackend("        priority: high\n")))
        .containsExactly(
            "spillway.yaml:8: models.gpt-4o.backends[0].priority: must be a whole number >= 1, got \"high\"");
  }

  @Test
  void requiredBackendKeysAreReportedAtTheBackendsFirstLine() {
    List<String> problems =
        problems(
            """
            models:
              gpt-4o:
                backends:
                  - id: a
                    region: eastus
            """);

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:4: models.gpt-4o.backends[0].url: is required",
            "spillway.yaml:4: models.gpt-4o.backends[0].deployment: is required for type azure (the Azure deployment name)",
            "spillway.yaml:4: models.gpt-4o.backends[0].tier: is required");
  }

  @Test
  void enumValuesMustBeKnown() {
    List<String> problems =
        problems(oneBackend("").replace("tier: ptu", "tier: gold\n        type: bedrock")
            .replace("    backends:", "    strategy: fastest\n    backends:"));

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.strategy: must be one of priority, weighted, round-robin, least-inflight,"
                + " lowest-latency, got \"fastest\"",
            "spillway.yaml:8: models.gpt-4o.backends[0].tier: must be one of ptu, payg, got \"gold\"",
            "spillway.yaml:9: models.gpt-4o.backends[0].type: must be one of azure, openai, got \"bedrock\"");
  }

  @Test
  void enumValuesIgnoreCase() {
    BackendConfig backend =
        parse(oneBackend("        type: AZURE\n").replace("tier: ptu", "tier: PTU")).models().get("gpt-4o").backends().getFirst();
    assertThat(backend.tier()).isEqualTo(Tier.PTU);
  }

  @Test
  void deploymentAndModelTogetherAreRejectedAtTheSecondKey() {
    assertThat(problems(oneBackend("        model: gpt-4o\n")))
        .containsExactly("spillway.yaml:8: models.gpt-4o.backends[0].model: set either deployment or model, not both");
  }

  @Test
  void apiVersionOnAnOpenaiBackendIsRejected() {
    assertThat(problems(oneBackend("        type: openai\n        apiVersion: 2024-10-21\n")))
        .containsExactly("spillway.yaml:9: models.gpt-4o.backends[0].apiVersion: only applies to type azure");
  }

  @Test
  void durationsNeedAUnitAndMustBePositive() {
    List<String> problems =
        problems(
            """
            routing:
              defaultRetryAfter: 10
              maxRetryAfter: 0s
            """
                + oneBackend("        timeouts:\n          connect: 5 seconds\n"));

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:2: routing.defaultRetryAfter: needs a unit (ms, s, m, h or d), for example 250ms or 10s;"
                + " a bare number is ambiguous, got \"10\"",
            "spillway.yaml:3: routing.maxRetryAfter: must be a positive duration like 250ms, 10s, 2m, 1h or 1m30s,"
                + " got \"0s\"",
            "spillway.yaml:12: models.gpt-4o.backends[0].timeouts.connect: must be a duration like 250ms, 10s, 2m, 1h"
                + " or 1m30s, got \"5 seconds\"");
  }

  @Test
  void maxRetryAfterBelowDefaultRetryAfterIsRejected() {
    assertThat(problems("routing:\n  defaultRetryAfter: 30s\n  maxRetryAfter: 20s\n" + oneBackend("")))
        .containsExactly(
            "spillway.yaml:3: routing.maxRetryAfter: must be at least routing.defaultRetryAfter (30s), got 20s");
    assertThat(problems("routing:\n  defaultRetryAfter: 2m\n" + oneBackend("")))
        .containsExactly(
            "spillway.yaml:2: routing.maxRetryAfter: must be at least routing.defaultRetryAfter (2m), got 1m"
                + " (the default)");
  }

  @Test
  void maxAttemptsMustNotBeNegative() {
    assertThat(problems("routing:\n  maxAttempts: -1\n" + oneBackend("")))
        .containsExactly("spillway.yaml:2: routing.maxAttempts: must be a whole number >= 0, got \"-1\"");
  }

  @Test
  void listenAddressIsCheckedForPortAndIpv6Brackets() {
    assertThat(problems("server:\n  listen: 127.0.0.1:70000\n" + oneBackend("")))
        .containsExactly("spillway.yaml:2: server.listen: port must be 0..65535, got \"127.0.0.1:70000\"");
    assertThat(problems("server:\n  listen: \"::1:8080\"\n" + oneBackend("")))
        .containsExactly(
            "spillway.yaml:2: server.listen: an IPv6 host needs brackets, for example [::1]:8080, got \"::1:8080\"");
    assertThat(problems("server:\n  listen: 8080\n" + oneBackend("")))
        .containsExactly(
            "spillway.yaml:2: server.listen: must be host:port, for example 127.0.0.1:8080, got \"8080\"");
    assertThat(parse("server:\n  listen: localhost:0\n" + oneBackend("")).server().port()).isZero();
  }

  @Test
  void maxBodyBytesTakesUnitsAndRejectsGarbage() {
    assertThat(parse("server:\n  maxBodyBytes: 10MB\n" + oneBackend("")).server().maxBodyBytes())
        .isEqualTo(10_000_000L);
    assertThat(parse("server:\n  maxBodyBytes: 4096\n" + oneBackend("")).server().maxBodyBytes())
        .isEqualTo(4096L);
    assertThat(problems("server:\n  maxBodyBytes: lots\n" + oneBackend("")))
        .containsExactly(
            "spillway.yaml:2: server.maxBodyBytes: must be a size like 1048576, 512KiB or 16MiB, got \"lots\"");
    assertThat(problems("server:\n  maxBodyBytes: 0\n" + oneBackend("")))
        .containsExactly("spillway.yaml:2: server.maxBodyBytes: must be at least 1 byte, got \"0\"");
  }

  @Test
  void atLeastOneModelIsRequired() {
    assertThat(problems("server:\n  listen: 127.0.0.1:8080\n"))
        .containsExactly(
            "spillway.yaml:1: models: at least one model is required, for example models: { gpt-4o: { backends: [...] } }");
    assertThat(problems("models: {}\n"))
        .containsExactly("spillway.yaml:1: models: at least one model is required");
    assertThat(problems("")).containsExactly("spillway.yaml: the file is empty; at least one model under models: is required");
    assertThat(problems("models:\n  gpt-4o:\n    backends: []\n"))
        .containsExactly("spillway.yaml:3: models.gpt-4o.backends: must list at least one backend");
  }

  @Test
  void aBareKeyWithNoValueIsNullNotAnEmptyString() {
    assertThat(problems("models:\n"))
        .containsExactly(
            "spillway.yaml:1: models: at least one model is required, for example models: { gpt-4o: { backends: [...] } }");
    SpillwayConfig config = parse("server:\nrouting:\n  breaker:\n" + oneBackend("        region:\n"));
    assertThat(config.server()).isEqualTo(ServerConfig.DEFAULTS);
    assertThat(config.routing()).isEqualTo(RoutingConfig.DEFAULTS);
    assertThat(config.model("gpt-4o").orElseThrow().backends().getFirst().region()).isEmpty();
    assertThat(problems(oneBackend("").replace("id: ptu-eastus", "id: \"\"")))
        .containsExactly("spillway.yaml:4: models.gpt-4o.backends[0].id: must not be empty");
  }

  @Test
  void modelNamesMustNotContainSlashOrWhitespace() {
    String backends = "    backends: [{ id: X, url: \"https://a.example\", deployment: d, tier: ptu }]\n";
    assertThat(
            problems(
                "models:\n  openai/gpt-4o:\n"
                    + backends.replace("X", "a")
                    + "  \"gpt 4o\":\n"
                    + backends.replace("X", "b")
                    + "  \"\":\n"
                    + backends.replace("X", "c")))
        .containsExactly(
            "spillway.yaml:2: models.openai/gpt-4o: a model name must not contain '/' or whitespace",
            "spillway.yaml:4: models.gpt 4o: a model name must not contain '/' or whitespace",
            "spillway.yaml:6: models.: a model name must not be empty");
  }

  @Test
  void wrongShapesAreReportedWithoutEchoingValues() {
    List<String> problems =
        problems(
            """
            server: 8080
            models:
              gpt-4o:
                backends:
                  - just-a-string
                  - id: a
                    url: https://a.example
                    deployment: d
                    tier: [ptu]
                    auth: sk-should-not-echo
            """);

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:1: server: must be a mapping, got a single value",
            "spillway.yaml:5: models.gpt-4o.backends[0]: must be a mapping with id, url, tier, ..., got a single value",
            "spillway.yaml:9: models.gpt-4o.backends[1].tier: must be a single value, got a list",
            "spillway.yaml:10: models.gpt-4o.backends[1].auth: must be a mapping, got a single value");
  }

  // ---- unknown keys ----

  @Test
  void unknownKeysAreErrorsWithTheNearestValidName() {
    List<String> problems =
        problems(
            """
            modles: {}
            server:
              maxBodySize: 1MiB
            models:
              gpt-4o:
                backends:
                  - id: a
                    url: https://a.example
                    deploymnet: d
                    deployment: d
                    tier: ptu
                    auth: { apikey: "x" }
                    colour: blue
            """);

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:1: modles: unknown key; did you mean models?",
            "spillway.yaml:3: server.maxBodySize: unknown key; did you mean maxBodyBytes?",
            "spillway.yaml:9: models.gpt-4o.backends[0].deploymnet: unknown key; did you mean deployment?",
            "spillway.yaml:12: models.gpt-4o.backends[0].auth.apikey: unknown key; did you mean apiKey?",
            "spillway.yaml:13: models.gpt-4o.backends[0].colour: unknown key (expected one of id, type, url,"
                + " deployment, model, apiVersion, auth, tier, priority, weight, region, timeouts, tls, capacity, azureSpillover, http2)");
  }

  @Test
  void duplicateYamlKeysAreReported() {
    assertThat(problems(oneBackend("        tier: payg\n")))
        .containsExactly("spillway.yaml:8: models.gpt-4o.backends[0].tier: duplicate key (first set on line 7)");
  }

  // ---- several problems at once ----

  @Test
  void everyProblemIsReportedTogetherInLineOrder() {
    ConfigException e =
        failure(
            """
            routing:
              maxAttempts: many
            models:
              gpt-4o:
                backends:
                  - id: a
                    url: nope
                    deployment: d
                    tier: ptu
                    priority: 0
                  - id: a
                    url: https://b.example
                    deployment: d
                    tier: spot
            """,
            ENV);

    assertThat(e.problems())
        .extracting(ConfigProblem::line)
        .containsExactly(2, 7, 10, 11, 14);
    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactly(
            "routing.maxAttempts",
            "models.gpt-4o.backends[0].url",
            "models.gpt-4o.backends[0].priority",
            "models.gpt-4o.backends[1].id",
            "models.gpt-4o.backends[1].tier");
    assertThat(e.getMessage()).startsWith("invalid configuration (5 problems):\n  spillway.yaml:2: routing.maxAttempts");
  }

  // ---- environment substitution ----

  @Test
  void environmentVariablesAreSubstitutedInAnyScalar() {
    Map<String, String> env = Map.of("PRIO", "2", "HOST", "contoso", "KEY", "k-123");
    SpillwayConfig config =
        ConfigLoader.parse(
            """
            models:
              gpt-4o:
                backends:
                  - id: ${HOST}-ptu
                    url: https://${HOST}.openai.azure.com
                    deployment: d
                    tier: ptu
                    priority: ${PRIO}
                    auth:
                      apiKey: ${KEY}
            """,
            "spillway.yaml",
            env::get);

    BackendConfig backend = config.model("gpt-4o").orElseThrow().backends().getFirst();
    assertThat(backend.id()).isEqualTo("contoso-ptu");
    assertThat(backend.url()).isEqualTo(URI.create("https://contoso.openai.azure.com"));
    assertThat(backend.priority()).isEqualTo(2);
    assertThat(backend.auth().apiKey()).contains("k-123");
  }

  @Test
  void defaultIsUsedWhenTheVariableIsUnsetOrEmpty() {
    String yaml = oneBackend("        region: ${REGION:-eastus}\n        weight: ${WEIGHT:-7}\n");
    BackendConfig unset = ConfigLoader.parse(yaml, "s.yaml", name -> null).models().get("gpt-4o").backends().getFirst();
    assertThat(unset.region()).isEqualTo("eastus");
    assertThat(unset.weight()).isEqualTo(7);

    BackendConfig empty =
        ConfigLoader.parse(yaml, "s.yaml", Map.of("REGION", "", "WEIGHT", "3")::get).models().get("gpt-4o").backends().getFirst();
    assertThat(empty.region()).isEqualTo("eastus");
    assertThat(empty.weight()).isEqualTo(3);
  }

  @Test
  void doubleDollarIsALiteralDollarBrace() {
    BackendConfig backend =
        parse(oneBackend("        region: \"$${not-a-var}\"\n")).models().get("gpt-4o").backends().getFirst();
    assertThat(backend.region()).isEqualTo("${not-a-var}");
  }

  @Test
  void missingVariableIsReportedByKeyAndName() {
    List<String> problems =
        failure(oneBackend("        auth:\n          apiKey: ${MISSING_KEY}\n"), Map.of()).problems().stream()
            .map(ConfigProblem::toString)
            .toList();

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.apiKey: environment variable MISSING_KEY is not set"
                + " (set it, or write ${MISSING_KEY:-default})");
  }

  @Test
  void malformedReferenceIsReported() {
    assertThat(problems(oneBackend("        region: ${oops\n")))
        .containsExactly(
            "spillway.yaml:8: models.gpt-4o.backends[0].region: has a malformed ${...} reference; use ${NAME} or"
                + " ${NAME:-default}");
  }

  // ---- secrets ----

  @Test
  void secretsNeverAppearInProblemsOrToString() {
    String secret = "sk-very-secret-value";
    Map<String, String> env = Map.of("KEY", secret, "URL", "https://" + secret + ".example?x=" + secret);
    ConfigException e =
        failure(
            """
            models:
              gpt-4o:
                backends:
                  - id: a
                    url: ${URL}
                    deployment: d
                    tier: ptu
                    auth: { apiKey: "${KEY}", extra: "%s" }
                    priority: ${KEY}
                  - id: b
                    url: https://b.example
                    deployment: d
                    tier: ptu
                    auth: { apiKey: "" }
                  - %s
            """
                .formatted(secret, secret),
            env);

    assertThat(e.getMessage()).doesNotContain(secret);
    assertThat(e.problems()).extracting(ConfigProblem::path)
        .contains(
            "models.gpt-4o.backends[0].url",
            "models.gpt-4o.backends[0].auth.extra",
            "models.gpt-4o.backends[0].priority",
            "models.gpt-4o.backends[1].auth.apiKey",
            "models.gpt-4o.backends[2]");
    assertThat(e.getMessage())
        .contains("got \"${KEY}\" (after ${...} substitution; value not shown)")
        .contains("auth.apiKey: is empty; remove auth to send no key");

    SpillwayConfig config = ConfigLoader.parse(oneBackend("        auth: { apiKey: \"${KEY}\" }\n"), "s.yaml", env::get);
    assertThat(config.toString()).doesNotContain(secret);
  }

  @Test
  void yamlSyntaxErrorsGiveTheLineButNotTheLineText() {
    String secret = "sk-literal-secret";
    ConfigException e = failure(oneBackend("        auth: { apiKey: " + secret + " ]\n"), ENV);

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(8);
      assertThat(p.message()).startsWith("YAML syntax error");
    });
    assertThat(e.getMessage()).doesNotContain(secret);
  }

  @Test
  void unquotedVariableInsideBracesGetsAHint() {
    ConfigException e = failure(oneBackend("        auth: { apiKey: ${AOAI_EASTUS_KEY} }\n"), ENV);

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(8);
      assertThat(p.message()).contains("quote ${VAR} values, for example { apiKey: \"${KEY}\" }");
    });
  }

  // ---- YAML features we refuse ----

  @Test
  void aliasesAndSecondDocumentsAreRejected() {
    assertThat(problems(oneBackend("        region: &r eastus\n      - id: b\n        url: https://b.example\n        deployment: d\n        tier: ptu\n        region: *r\n")))
        .containsExactly(
            "spillway.yaml:13: models.gpt-4o.backends[1].region: YAML aliases (*name) are not supported; repeat the value");
    assertThat(problems(oneBackend("") + "---\nmodels: {}\n"))
        .containsExactly("spillway.yaml:9: only one YAML document is allowed (remove the second ---)");
  }
}
