package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call the gateway: {@code consumers}, {@code auth} (with {@code auth.jwt} issuers) and
 * {@code admin}: happy paths, defaults, every validation message with its key path and line, the
 * checks that span sections, and secrets that never reach a message.
 */
class AccessKeysTest {
  private static final String PEPPER = "pepper-0123456789abcdef";
  private static final String ADMIN_KEY = "admin-0123456789abcdef";
  private static final Map<String, String> ENV = Map.of("PEPPER", PEPPER, "ADMIN_KEY", ADMIN_KEY);

  /** Two models on lines 1..10; whatever follows starts on line 11. */
  private static final String MODELS =
      """
      models:
        gpt-4o:
          backends:
            - id: a
              url: https://a.example
              deployment: d
              tier: ptu
        text-embedding-3-small:
          backends:
            - { id: e, url: "https://a.example", deployment: e, tier: payg }
      """;

  /** An issuer list item (4-space indent, 8 lines) for {@code auth.jwt:}. */
  private static final String ISSUER =
      """
          - issuer: https://login.example/tenant/v2.0
            audiences: [api://spillway]
            jwksUrl: https://login.example/tenant/keys
            algorithms: [RS256, es384]
            consumerClaim: appid
            clockSkew: 30s
            jwksMinRefreshInterval: 1m
            jwksMaxAge: 2h
      """;

  private static SpillwayConfig parse(String sections) {
    return ConfigLoader.parse(MODELS + sections, "spillway.yaml", ENV::get);
  }

  private static ConfigException failure(String sections, Map<String, String> env) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parse(MODELS + sections, "spillway.yaml", env::get));
    assertThat(e).as("expected a ConfigException").isNotNull();
    return e;
  }

  private static List<String> problems(String sections) {
    return failure(sections, ENV).problems().stream().map(ConfigProblem::toString).toList();
  }

  // ---- defaults ----

  @Test
  void withoutTheSectionsTheGatewayIsOpenAndAdminIsLoopbackOnly() {
    SpillwayConfig config = parse("");

    assertThat(config.consumers()).isEmpty();
    assertThat(config.auth()).isEqualTo(AuthConfig.NONE);
    assertThat(config.admin()).isEqualTo(AdminConfig.LOOPBACK_ONLY);
  }

  @Test
  void emptySectionsAreTheDefaults() {
    SpillwayConfig config = parse("consumers: []\nauth:\nadmin:\n");

    assertThat(config.consumers()).isEmpty();
    assertThat(config.auth()).isEqualTo(AuthConfig.NONE);
    assertThat(config.admin()).isEqualTo(AdminConfig.LOOPBACK_ONLY);
  }

  // ---- consumers ----

  @Test
  void consumersAreReadInFileOrderWithStandardAsTheDefaultClass() {
    SpillwayConfig config =
        parse(
            """
            consumers:
              - id: search-app
                team: retail
                models: [gpt-4o, "text-embedding-*"]
                priorityClass: CRITICAL
              - id: batch
                team: analytics
                models: ["*"]
            auth:
              keyPepper: ${PEPPER}
            """);

    assertThat(config.consumers())
        .containsExactly(
            ConsumerConfig.builder()
                .id("search-app")
                .team("retail")
                .models(List.of("gpt-4o", "text-embedding-*"))
                .priorityClass(PriorityClass.CRITICAL)
                .build(),
            ConsumerConfig.builder()
                .id("batch")
                .team("analytics")
                .models(List.of("*"))
                .priorityClass(PriorityClass.STANDARD)
                .build());
    assertThat(config.consumer("batch").orElseThrow().mayUse("text-embedding-3-small")).isTrue();
  }

  @Test
  void consumerRequiresIdTeamAndANonEmptyModelList() {
    assertThat(
            problems(
                """
                consumers:
                  - priorityClass: batch
                  - id: b
                    team: " "
                    models: []
                  - id: c
                    team: t
                    models: gpt-4o
                  - id: d
                    team: t
                    models: [gpt-4o, ""]
                auth: { required: false }
                """))
        .containsExactly(
            "spillway.yaml:12: consumers[0].id: is required",
            "spillway.yaml:12: consumers[0].team: is required",
            "spillway.yaml:12: consumers[0].models: is required: the models this consumer may use, for example"
                + " [gpt-4o, \"text-embedding-*\"] or [\"*\"]",
            "spillway.yaml:14: consumers[1].team: must not be empty",
            "spillway.yaml:15: consumers[1].models: must list at least one model or glob",
            "spillway.yaml:18: consumers[2].models: must be a list of model names or globs, for example [a, b], got"
                + " a single value",
            "spillway.yaml:21: consumers[3].models[1]: must not be empty");
  }

  @Test
  void aModelGlobThatMatchesNoModelNamesTheConsumerAndTheGlob() {
    assertThat(
            problems(
                """
                consumers:
                  - id: search-app
                    team: retail
                    models: [gpt-4o, gpt4o-mini, "text-embeding-*"]
                auth: { keyPepper: "${PEPPER}" }
                """))
        .containsExactly(
            "spillway.yaml:14: consumers[0].models[1]: consumer search-app: \"gpt4o-mini\" matches no model under"
                + " models (known: gpt-4o, text-embedding-3-small)",
            "spillway.yaml:14: consumers[0].models[2]: consumer search-app: \"text-embeding-*\" matches no model"
                + " under models (known: gpt-4o, text-embedding-3-small)");
  }

  @Test
  void aGlobForAModelThatIsDeclaredButBrokenIsNotAlsoReported() {
    String yaml =
        MODELS.replace("tier: ptu", "tier: gold")
            + """
            consumers:
              - { id: c, team: t, models: [gpt-4o] }
            auth: { required: false }
            """;
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "spillway.yaml", ENV::get));

    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly("spillway.yaml:7: models.gpt-4o.backends[0].tier: must be one of ptu, payg, got \"gold\"");
  }

  @Test
  void consumerIdsMustBeUniqueAndTheClassKnown() {
    assertThat(
            problems(
                """
                consumers:
                  - { id: app, team: t, models: [gpt-4o] }
                  - { id: app, team: t, models: [gpt-4o], priorityClass: gold }
                auth: { required: false }
                """))
        .containsExactly(
            "spillway.yaml:13: consumers[1].id: duplicate consumer id \"app\"; first used at consumers[0].id, line 12",
            "spillway.yaml:13: consumers[1].priorityClass: must be one of critical, standard, batch, got \"gold\"");
  }

  @Test
  void consumersMustBeAListOfMappingsWithKnownKeys() {
    assertThat(problems("consumers:\n  app: {}\n"))
        .containsExactly("spillway.yaml:11: consumers: must be a list of consumers (- id: ...), got a mapping");
    assertThat(
            problems(
                """
                consumers:
                  - just-a-name
                  - { id: a, team: t, models: [gpt-4o], modles: [x] }
                auth: { required: false }
                """))
        .containsExactly(
            "spillway.yaml:12: consumers[0]: must be a mapping with id, team and models, got a single value",
            "spillway.yaml:13: consumers[1].modles: unknown key; did you mean models?");
  }

  @Test
  void jwtSubjectsAreReadAndMustNameOneConsumerOnly() {
    SpillwayConfig config =
        parse(
            """
            consumers:
              - { id: a, team: t, models: [gpt-4o], jwtSubjects: [app-1, app-2] }
            auth:
              jwt:
            """
                + ISSUER);
    assertThat(config.consumer("a").orElseThrow().jwtSubjects()).containsExactly("app-1", "app-2");

    assertThat(
            problems(
                """
                consumers:
                  - { id: a, team: t, models: [gpt-4o], jwtSubjects: [app-1] }
                  - { id: b, team: t, models: [gpt-4o], jwtSubjects: [app-2, app-1] }
                auth:
                  jwt:
                """
                    + ISSUER))
        .containsExactly(
            "spillway.yaml:13: consumers[1].jwtSubjects[1]: duplicate JWT subject \"app-1\" (a subject must name one"
                + " consumer); first used at consumers[0].jwtSubjects[0], line 12");
  }

  // ---- auth ----

  @Test
  void authIsRequiredByDefaultOnceConsumersAreListed() {
    SpillwayConfig config = parse("consumers:\n  - { id: a, team: t, models: [gpt-4o] }\nauth:\n  keyPepper: ${PEPPER}\n");

    assertThat(config.auth()).isEqualTo(new AuthConfig(true, AuthConfig.DEFAULT_KEY_STORE, Optional.of(PEPPER), List.of()));
  }

  @Test
  void authSettingsAreReadWhenGiven() {
    SpillwayConfig config =
        parse(
            """
            consumers:
              - { id: a, team: t, models: [gpt-4o] }
            auth:
              required: false
              keyStore: /var/lib/spillway/keys.json
              keyPepper: literal-pepper-0123456789
            """);

    assertThat(config.auth())
        .isEqualTo(
            new AuthConfig(
                false, Path.of("/var/lib/spillway/keys.json"), Optional.of("literal-pepper-0123456789"), List.of()));
  }

  @Test
  void relativeKeyStoreResolvesAgainstTheConfigFilesDirectory(@TempDir Path dir) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path file = conf.resolve("spillway.yaml");
    Files.writeString(file, MODELS + "auth:\n  keyStore: data/keys.json\n");
    assertThat(ConfigLoader.load(file).auth().keyStore()).isEqualTo(conf.toAbsolutePath().resolve("data/keys.json"));

    Files.writeString(file, MODELS);
    assertThat(ConfigLoader.load(file).auth().keyStore())
        .isEqualTo(conf.toAbsolutePath().resolve(AuthConfig.DEFAULT_KEY_STORE));

    Files.writeString(file, MODELS + "auth:\n  keyStore: ../shared/../keys.json\n");
    assertThat(ConfigLoader.load(file).auth().keyStore()).isEqualTo(dir.toAbsolutePath().resolve("keys.json"));

    assertThat(ConfigLoader.parse(MODELS, "s.yaml", ENV::get, conf).auth().keyStore())
        .isEqualTo(conf.resolve(AuthConfig.DEFAULT_KEY_STORE));
  }

  @Test
  void withoutAFileRelativePathsStayRelativeToTheWorkingDirectory() {
    assertThat(parse("auth:\n  keyStore: data/keys.json\n").auth().keyStore()).isEqualTo(Path.of("data/keys.json"));
    assertThat(parse("").auth().keyStore()).isEqualTo(AuthConfig.DEFAULT_KEY_STORE);
  }

  @Test
  void authValuesAreChecked() {
    assertThat(
            problems(
                """
                auth:
                  required: yes
                  keyStore: ""
                  keyPeper: x
                """))
        .containsExactly(
            "spillway.yaml:12: auth.required: must be true or false, got \"yes\"",
            "spillway.yaml:13: auth.keyStore: must not be empty",
            "spillway.yaml:14: auth.keyPeper: unknown key; did you mean keyPepper?");
    assertThat(problems("auth: true\n")).containsExactly("spillway.yaml:11: auth: must be a mapping, got a single value");
  }

  @Test
  void requiredAuthWithNobodyWhoCouldAuthenticateIsRejected() {
    assertThat(problems("auth:\n  required: true\n  keyPepper: ${PEPPER}\n"))
        .containsExactly(
            "spillway.yaml:12: auth.required: is true but there are no consumers and no auth.jwt issuers, so nobody"
                + " could call the gateway; add consumers (with gateway keys) or a JWT issuer, or set required: false");
  }

  @Test
  void requiredAuthWithoutJwtNeedsThePepper() {
    assertThat(problems("consumers:\n  - { id: a, team: t, models: [gpt-4o] }\n"))
        .containsExactly(
            "spillway.yaml:11: auth.keyPepper: is required: auth.required is true by default once consumers are"
                + " listed and there is no auth.jwt issuer, so callers need gateway keys, and gateway keys need"
                + " auth.keyPepper (a secret of at least 16 characters, for example keyPepper: ${SPILLWAY_KEY_PEPPER})");
    assertThat(problems("consumers:\n  - { id: a, team: t, models: [gpt-4o] }\nauth:\n  required: true\n"))
        .containsExactly(
            "spillway.yaml:13: auth.keyPepper: is required: auth.required is true and there is no auth.jwt issuer, so"
                + " callers need gateway keys, and gateway keys need auth.keyPepper (a secret of at least 16"
                + " characters, for example keyPepper: ${SPILLWAY_KEY_PEPPER})");
  }

  @Test
  void withAJwtIssuerThePepperIsOptional() {
    SpillwayConfig config =
        parse("consumers:\n  - { id: a, team: t, models: [gpt-4o] }\nauth:\n  required: true\n  jwt:\n" + ISSUER);

    assertThat(config.auth().required()).isTrue();
    assertThat(config.auth().keyPepper()).isEmpty();
  }

  @Test
  void jwtSubjectsWithoutAnIssuerAreRejected() {
    assertThat(
            problems(
                """
                consumers:
                  - id: a
                    team: t
                    models: [gpt-4o]
                    jwtSubjects: [app-1]
                auth: { keyPepper: "${PEPPER}" }
                """))
        .containsExactly(
            "spillway.yaml:15: consumers[0].jwtSubjects: needs at least one issuer under auth.jwt (jwtSubjects are"
                + " matched against a JWT's consumerClaim); add one, or remove jwtSubjects");
  }

  @Test
  void pepperMustBeLongEnoughAndIsNeverShown() {
    ConfigException literal = failure("auth:\n  keyPepper: short-pepper\n", ENV);
    ConfigException fromEnv = failure("auth:\n  keyPepper: ${PEPPER}\n", Map.of("PEPPER", "env-pepper"));
    ConfigException blank = failure("auth:\n  keyPepper: \"  \"\n", ENV);

    assertThat(literal.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "spillway.yaml:12: auth.keyPepper: must be at least 16 characters (value not shown); generate one with:"
                + " openssl rand -base64 32");
    assertThat(fromEnv.problems()).extracting(ConfigProblem::path).containsExactly("auth.keyPepper");
    assertThat(blank.problems()).extracting(ConfigProblem::toString).containsExactly("spillway.yaml:12: auth.keyPepper: is empty");
    assertThat(literal.getMessage()).doesNotContain("short-pepper");
    assertThat(fromEnv.getMessage()).doesNotContain("env-pepper");
  }

  // ---- auth.jwt ----

  @Test
  void jwtIssuerIsReadWithEveryKey() {
    JwtIssuerConfig issuer = parse("auth:\n  jwt:\n" + ISSUER).auth().jwtIssuers().getFirst();

    assertThat(issuer)
        .isEqualTo(
            new JwtIssuerConfig(
                "https://login.example/tenant/v2.0",
                Set.of("api://spillway"),
                Optional.of(URI.create("https://login.example/tenant/keys")),
                Optional.empty(),
                Set.of("RS256", "ES384"),
                "appid",
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                Duration.ofHours(2)));
  }

  @Test
  void jwtIssuerDefaultsMatchTheRecordsAndJwksFileResolvesLikeAnyPath(@TempDir Path dir) {
    String yaml =
        """
        auth:
          jwt:
            - issuer: https://issuer.example
              audiences: [a, b]
              jwksFile: jwks.json
              consumerClaim: azp
        """;
    JwtIssuerConfig issuer = ConfigLoader.parse(MODELS + yaml, "s.yaml", ENV::get, dir).auth().jwtIssuers().getFirst();

    assertThat(issuer)
        .isEqualTo(
            JwtIssuerConfig.of(
                "https://issuer.example", Set.of("a", "b"), Optional.empty(), Optional.of(dir.resolve("jwks.json")), "azp"));
  }

  @Test
  void jwtIssuerRequiresIssuerAudiencesKeysAndConsumerClaim() {
    assertThat(problems("auth:\n  jwt:\n    - { audiences: [] }\n"))
        .containsExactly(
            "spillway.yaml:13: auth.jwt[0].issuer: is required",
            "spillway.yaml:13: auth.jwt[0].audiences: must list at least one audience",
            "spillway.yaml:13: auth.jwt[0].jwksUrl: is required (or jwksFile): where the issuer's signing keys are,"
                + " for example https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys",
            "spillway.yaml:13: auth.jwt[0].consumerClaim: is required");
    assertThat(problems("auth:\n  jwt:\n    - { issuer: i, jwksFile: j, consumerClaim: c }\n"))
        .containsExactly(
            "spillway.yaml:13: auth.jwt[0].audiences: is required: the accepted aud values, for example"
                + " [api://spillway]");
  }

  @Test
  void jwtIssuerTakesExactlyOneKeySourceAndAnHttpUrl() {
    assertThat(problems("auth:\n  jwt:\n" + ISSUER + "      jwksFile: /etc/jwks.json\n"))
        .containsExactly("spillway.yaml:21: auth.jwt[0].jwksFile: set either jwksUrl or jwksFile, not both");
    assertThat(problems("auth:\n  jwt:\n" + ISSUER.replace("https://login.example/tenant/keys", "ftp://keys")))
        .containsExactly("spillway.yaml:15: auth.jwt[0].jwksUrl: must be an absolute http(s) URL, got \"ftp://keys\"");
    assertThat(problems("auth:\n  jwt:\n" + ISSUER.replace("https://login.example/tenant/keys", "keys.json")))
        .containsExactly("spillway.yaml:15: auth.jwt[0].jwksUrl: must be an absolute http(s) URL, got \"keys.json\"");
  }

  @Test
  void noneHmacAndUnknownAlgorithmsAreRejected() {
    assertThat(problems("auth:\n  jwt:\n" + ISSUER.replace("[RS256, es384]", "[none, HS256, RS265, RS512]")))
        .containsExactly(
            "spillway.yaml:16: auth.jwt[0].algorithms[0]: none is never accepted: it means an unsigned token anyone"
                + " can write",
            "spillway.yaml:16: auth.jwt[0].algorithms[1]: HMAC algorithms (HS256, HS384, HS512) are not accepted:"
                + " the gateway verifies with the issuer's public keys only, got \"HS256\"",
            "spillway.yaml:16: auth.jwt[0].algorithms[2]: must be one of RS256, RS384, RS512, PS256, PS384, PS512,"
                + " ES256, ES384, ES512, EdDSA, got \"RS265\"");
    assertThat(problems("auth:\n  jwt:\n" + ISSUER.replace("[RS256, es384]", "[]")))
        .containsExactly(
            "spillway.yaml:16: auth.jwt[0].algorithms: must list at least one algorithm, or be left out for the"
                + " default [ES256, PS256, RS256]");
  }

  @Test
  void jwtDurationsAreChecked() {
    assertThat(
            problems(
                "auth:\n  jwt:\n"
                    + ISSUER.replace("clockSkew: 30s", "clockSkew: 10m")
                        .replace("jwksMinRefreshInterval: 1m", "jwksMinRefreshInterval: 0s")))
        .containsExactly(
            "spillway.yaml:18: auth.jwt[0].clockSkew: must be at most 5m (more keeps accepting expired tokens), got"
                + " \"10m\"",
            "spillway.yaml:19: auth.jwt[0].jwksMinRefreshInterval: must be a positive duration like 250ms, 10s, 2m,"
                + " 1h or 1m30s, got \"0s\"");
    assertThat(problems("auth:\n  jwt:\n" + ISSUER.replace("jwksMaxAge: 2h", "jwksMaxAge: 30s")))
        .containsExactly("spillway.yaml:20: auth.jwt[0].jwksMaxAge: must be at least jwksMinRefreshInterval (1m), got 30s");
    assertThat(parse("auth:\n  jwt:\n" + ISSUER.replace("clockSkew: 30s", "clockSkew: 0s")).auth().jwtIssuers().getFirst().clockSkew())
        .isZero();
  }

  @Test
  void anIssuerConfiguredTwiceIsRejectedAtTheSecond() {
    assertThat(problems("auth:\n  jwt:\n" + ISSUER + ISSUER))
        .containsExactly(
            "spillway.yaml:21: auth.jwt[1].issuer: duplicate issuer (already configured at auth.jwt[0]); merge the two"
                + " entries");
  }

  @Test
  void jwtMustBeAListOfIssuers() {
    assertThat(problems("auth:\n  jwt:\n    issuer: x\n"))
        .containsExactly("spillway.yaml:12: auth.jwt: must be a list of issuers (- issuer: ...), got a mapping");
    assertThat(problems("auth:\n  jwt:\n    - x\n"))
        .containsExactly(
            "spillway.yaml:13: auth.jwt[0]: must be a mapping with issuer, audiences, jwksUrl and consumerClaim, got a"
                + " single value");
  }

  // ---- admin ----

  @Test
  void adminSettingsAreRead() {
    AdminConfig admin =
        parse("auth:\n  jwt:\n" + ISSUER + "admin:\n  apiKey: ${ADMIN_KEY}\n  jwtRole: Spillway.Admin\n  listen: \"[::1]:9090\"\n")
            .admin();

    assertThat(admin)
        .isEqualTo(AdminConfig.builder().apiKey(ADMIN_KEY).jwtRole("Spillway.Admin").listen("[::1]:9090").build());
  }

  @Test
  void adminValuesAreChecked() {
    assertThat(problems("admin:\n  apiKey: too-short\n  jwtRole: Spillway.Admin\n  listen: 9090\n  role: x\n"))
        .containsExactly(
            "spillway.yaml:12: admin.apiKey: must be at least 16 characters (value not shown); generate one with:"
                + " openssl rand -base64 32",
            "spillway.yaml:13: admin.jwtRole: needs at least one issuer under auth.jwt (the role is read from a"
                + " validated JWT); add one, or remove jwtRole",
            "spillway.yaml:14: admin.listen: must be host:port, for example 127.0.0.1:8080, got \"9090\"",
            "spillway.yaml:15: admin.role: unknown key (expected one of apiKey, jwtRole, listen, metricsAccess)");
  }

  @Test
  void metricsAccessDefaultsToLoopbackAndTakesOpenOrAdmin() {
    assertThat(parse("").admin().metricsAccess()).isEqualTo(MetricsAccess.LOOPBACK);
    assertThat(parse("admin:\n  metricsAccess: open\n").admin().metricsAccess()).isEqualTo(MetricsAccess.OPEN);
    assertThat(parse("admin:\n  metricsAccess: admin\n").admin().metricsAccess()).isEqualTo(MetricsAccess.ADMIN);
    assertThat(problems("admin:\n  metricsAccess: public\n"))
        .containsExactly("spillway.yaml:12: admin.metricsAccess: must be one of loopback, open, admin, got \"public\"");
  }

  @Test
  void adminListenerMustNotTakeTheClientPort() {
    assertThat(problems("admin:\n  listen: 127.0.0.1:8080\n"))
        .containsExactly(
            "spillway.yaml:12: admin.listen: must not use the same port as server.listen (127.0.0.1:8080); leave"
                + " admin.listen out to serve admin on the client listener");
    assertThat(problems("server:\n  listen: 0.0.0.0:7000\nadmin:\n  listen: 127.0.0.1:7000\n"))
        .containsExactly(
            "spillway.yaml:14: admin.listen: must not use the same port as server.listen (0.0.0.0:7000); leave"
                + " admin.listen out to serve admin on the client listener");
    assertThat(parse("server:\n  listen: 127.0.0.1:0\nadmin:\n  listen: 127.0.0.1:0\n").admin().listen())
        .contains("127.0.0.1:0");
    assertThat(parse("admin:\n  listen: 10.0.0.1:8080\n").admin().listen()).contains("10.0.0.1:8080");
  }

  // ---- secrets ----

  @Test
  void secretsNeverAppearInProblemsOrToString() {
    String pepper = "sk-pep-env";
    String adminKey = "sk-admin-lit";
    ConfigException e =
        failure(
            """
            auth:
              keyPepper: ${PEPPER}
              pepper: %s
            admin:
              apiKey: %s
              listen: ${PEPPER}
            """
                .formatted(pepper, adminKey),
            Map.of("PEPPER", pepper));

    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactly("auth.keyPepper", "auth.pepper", "admin.apiKey", "admin.listen");
    assertThat(e.getMessage()).doesNotContain(pepper).doesNotContain(adminKey);

    SpillwayConfig config = parse("auth:\n  keyPepper: ${PEPPER}\nadmin:\n  apiKey: ${ADMIN_KEY}\n");
    assertThat(config.toString()).doesNotContain(PEPPER).doesNotContain(ADMIN_KEY);
  }
}
