package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client limits and HTTPS of {@code server:}, and the three kinds of backend {@code auth:}
 * ({@code apiKey}, {@code apiKeyFile}, {@code entra}): happy paths, defaults, every validation
 * message with its key path and line, and secrets that never reach a message.
 */
class ServerAndBackendAuthKeysTest {
  private static final String CLIENT_SECRET = "entra-client-secret-value";
  private static final Map<String, String> ENV = Map.of("CLIENT_SECRET", CLIENT_SECRET, "KEY", "backend-key");

  @TempDir Path dir;

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

  /** {@code serverKeys} (2-space indent) start on line 2; a valid model follows. */
  private static String server(String serverKeys) {
    return "server:\n" + serverKeys + backendWithAuth("  apiKey: k\n");
  }

  /** One backend whose {@code auth:} is on line 8; {@code authKeys} (2-space indent, relative to auth) from line 9. */
  private static String backendWithAuth(String authKeys) {
    return """
        models:
          gpt-4o:
            backends:
              - id: a
                url: https://a.example
                deployment: d
                tier: ptu
                auth:
        """
        + authKeys.indent(10);
  }

  private static BackendAuth auth(String yaml) {
    return parse(yaml).model("gpt-4o").orElseThrow().backends().getFirst().auth();
  }

  // ---- server limits ----

  @Test
  void serverLimitsAreReadWhenGiven() {
    ServerConfig server =
        parse(server("  maxHeaderBytes: 64KiB\n  maxMessages: 100\n  requestTimeout: 30s\n  idleTimeout: 2m\n"
            + "  upstreamConnections: 20000\n  drainDelay: 500ms\n  drainTimeout: 0s\n")).server();

    assertThat(server)
        .isEqualTo(
            new ServerConfig(
                "127.0.0.1",
                8080,
                ServerConfig.DEFAULT_MAX_BODY_BYTES,
                64 * 1024,
                100,
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                Optional.empty(),
                20_000,
                Duration.ofMillis(500),
                Duration.ZERO));
  }

  @Test
  void serverLimitsDefaultToTheRecordsConstants() {
    ServerConfig server = parse(server("  listen: 127.0.0.1:9000\n")).server();

    assertThat(server.maxHeaderBytes()).isEqualTo(ServerConfig.DEFAULT_MAX_HEADER_BYTES);
    assertThat(server.maxMessages()).isEqualTo(ServerConfig.DEFAULT_MAX_MESSAGES);
    assertThat(server.requestTimeout()).isEqualTo(ServerConfig.DEFAULT_REQUEST_TIMEOUT);
    assertThat(server.idleTimeout()).isEqualTo(ServerConfig.DEFAULT_IDLE_TIMEOUT);
    assertThat(server.tls()).isEmpty();
    assertThat(server.upstreamConnections()).isEqualTo(ServerConfig.DEFAULT_UPSTREAM_CONNECTIONS);
  }

  @Test
  void serverLimitsAreChecked() {
    assertThat(
            problems(
                server(
                    "  maxHeaderBytes: 512\n  maxMessages: 0\n  requestTimeout: 0s\n  idleTimeout: 300\n"
                        + "  maxHeaders: 1\n")))
        .containsExactly(
            "spillway.yaml:2: server.maxHeaderBytes: must be at least 1KiB (1024 bytes), got \"512\"",
            "spillway.yaml:3: server.maxMessages: must be a whole number >= 1, got \"0\"",
            "spillway.yaml:4: server.requestTimeout: must be a positive duration like 250ms, 10s, 2m, 1h or 1m30s,"
                + " got \"0s\"",
            "spillway.yaml:5: server.idleTimeout: needs a unit (ms, s, m, h or d), for example 250ms or 10s; a bare"
                + " number is ambiguous, got \"300\"",
            "spillway.yaml:6: server.maxHeaders: unknown key; did you mean maxHeaderBytes?");
    assertThat(problems(server("  maxHeaderBytes: 4GiB\n  maxMessages: \"10\"\n")))
        .containsExactly(
            "spillway.yaml:2: server.maxHeaderBytes: must be less than 2GiB, got \"4GiB\"",
            "spillway.yaml:3: server.maxMessages: must be a whole number >= 1 without quotes (a YAML number, not a"
                + " string), got \"10\"");
    assertThat(parse(server("  maxHeaderBytes: 1KiB\n")).server().maxHeaderBytes()).isEqualTo(1024);
    assertThat(problems(server("  upstreamConnections: 0\n")))
        .containsExactly("spillway.yaml:2: server.upstreamConnections: must be a whole number 1..1000000, got \"0\"");
  }

  // ---- server.tls ----

  @Test
  void tlsFilesAreReadAndRelativePathsResolveAgainstTheConfigFile() throws IOException {
    Files.writeString(dir.resolve("tls.crt"), "cert");
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.writeString(keys.resolve("tls.key"), "key");
    Path file = dir.resolve("spillway.yaml");
    Files.writeString(file, server("  tls:\n    certFile: tls.crt\n    keyFile: " + keys.resolve("tls.key") + "\n"));

    assertThat(ConfigLoader.load(file).server().tls())
        .contains(new TlsConfig(dir.toAbsolutePath().resolve("tls.crt"), keys.resolve("tls.key")));
  }

  @Test
  void tlsNeedsBothFilesAndTheyMustExist() throws IOException {
    Files.createDirectories(dir.resolve("a-directory"));
    assertThat(problems(server("  tls:\n    certFile: " + dir.resolve("missing.crt") + "\n    keyFle: x\n")))
        .containsExactly(
            "spillway.yaml:2: server.tls.keyFile: is required",
            "spillway.yaml:3: server.tls.certFile: file not found: \"" + dir.resolve("missing.crt") + "\"",
            "spillway.yaml:4: server.tls.keyFle: unknown key; did you mean keyFile?");
    assertThat(
            problems(
                server("  tls:\n    certFile: " + dir.resolve("a-directory") + "\n    keyFile: \"\"\n")))
        .containsExactly(
            "spillway.yaml:3: server.tls.certFile: is not a regular file: \"" + dir.resolve("a-directory") + "\"",
            "spillway.yaml:4: server.tls.keyFile: must not be empty");
  }

  @Test
  void anUnreadableTlsKeyIsReported() throws IOException {
    Path key = Files.writeString(dir.resolve("tls.key"), "key");
    Files.writeString(dir.resolve("tls.crt"), "cert");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(key), "running as a user who reads anything");

    assertThat(problems(server("  tls:\n    certFile: " + dir.resolve("tls.crt") + "\n    keyFile: " + key + "\n")))
        .containsExactly("spillway.yaml:4: server.tls.keyFile: file is not readable: \"" + key + "\"");
  }

  @Test
  void aTlsPathFromTheEnvironmentIsNotShown() {
    ConfigException e =
        failure(server("  tls:\n    certFile: ${CERT}\n    keyFile: ${CERT}\n"), Map.of("CERT", "/secret/place.pem"));

    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            "file not found: \"${CERT}\" (after ${...} substitution; value not shown)",
            "file not found: \"${CERT}\" (after ${...} substitution; value not shown)");
  }

  // ---- backend auth ----

  @Test
  void apiKeyFileIsAPathThatNeedNotExistYet() {
    assertThat(auth(backendWithAuth("apiKeyFile: /run/secrets/aoai-key\n")))
        .isEqualTo(new BackendAuth(Optional.empty(), Optional.of(Path.of("/run/secrets/aoai-key")), Optional.empty()));
    BackendAuth relative =
        ConfigLoader.parse(backendWithAuth("apiKeyFile: secrets/key\n"), "s.yaml", ENV::get, dir)
            .model("gpt-4o").orElseThrow().backends().getFirst().auth();
    assertThat(relative.apiKeyFile()).contains(dir.resolve("secrets/key"));
    assertThat(problems(backendWithAuth("apiKeyFile: \" \"\n")))
        .containsExactly("spillway.yaml:9: models.gpt-4o.backends[0].auth.apiKeyFile: must not be empty");
  }

  @Test
  void moreThanOneKindOfCredentialIsRejectedNamingTheKeys() {
    assertThat(problems(backendWithAuth("apiKey: ${KEY}\napiKeyFile: /run/key\nentra: { tenantId: t }\n")))
        .containsExactly(
            "spillway.yaml:10: models.gpt-4o.backends[0].auth.apiKeyFile: set only one of apiKey, apiKeyFile,"
                + " entra, managedIdentity, workloadIdentity or clientCertificate; this auth sets apiKey, apiKeyFile"
                + " and entra");
    assertThat(problems(backendWithAuth("entra: { tenantId: t }\napiKeyFile: /run/key\n")))
        .containsExactly(
            "spillway.yaml:10: models.gpt-4o.backends[0].auth.apiKeyFile: set only one of apiKey, apiKeyFile,"
                + " entra, managedIdentity, workloadIdentity or clientCertificate; this auth sets entra and apiKeyFile");
  }

  @Test
  void anAuthWithNoCredentialIsRejected() {
    assertThat(problems(backendWithAuth("{}\n").replace("auth:\n          {}", "auth: {}")))
        .containsExactly(
            "spillway.yaml:8: models.gpt-4o.backends[0].auth: needs one of apiKey, apiKeyFile, entra,"
                + " managedIdentity, workloadIdentity or clientCertificate; remove auth to send no credential");
  }

  @Test
  void entraWithATenantBuildsTheTokenUrlAndDefaultsTheScope() {
    BackendAuth auth =
        auth(backendWithAuth("entra:\n  tenantId: contoso.onmicrosoft.com\n  clientId: app-1\n  clientSecret: ${CLIENT_SECRET}\n"));

    assertThat(auth.entra())
        .contains(
            new EntraCredentials(
                EntraCredentials.tokenUrlForTenant("contoso.onmicrosoft.com"),
                "app-1",
                CLIENT_SECRET,
                EntraCredentials.COGNITIVE_SERVICES_SCOPE));
    assertThat(auth.toString()).doesNotContain(CLIENT_SECRET);
  }

  @Test
  void entraWithATokenUrlAndScope() {
    BackendAuth auth =
        auth(
            backendWithAuth(
                "entra:\n  tokenUrl: http://127.0.0.1:9999/token\n  clientId: app-1\n  clientSecret: s\n"
                    + "  scope: api://custom/.default\n"));

    assertThat(auth.entra())
        .contains(new EntraCredentials(URI.create("http://127.0.0.1:9999/token"), "app-1", "s", "api://custom/.default"));
  }

  @Test
  void entraValuesAreChecked() {
    assertThat(problems(backendWithAuth("entra:\n  tenantId: t\n  tokenUrl: https://t.example/token\n")))
        .containsExactly(
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.entra.clientId: is required",
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.entra.clientSecret: is required",
            "spillway.yaml:11: models.gpt-4o.backends[0].auth.entra.tokenUrl: set either tenantId or tokenUrl, not both");
    assertThat(problems(backendWithAuth("entra:\n  clientId: c\n  clientSecret: \"\"\n")))
        .containsExactly(
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.entra: needs tenantId (the Entra tenant GUID or domain)"
                + " or tokenUrl (the full OAuth 2.0 token endpoint)",
            "spillway.yaml:11: models.gpt-4o.backends[0].auth.entra.clientSecret: is empty");
    assertThat(problems(backendWithAuth("entra:\n  tenantId: my tenant/x\n  clientId: c\n  clientSecret: s\n  scop: x\n")))
        .containsExactly(
            "spillway.yaml:10: models.gpt-4o.backends[0].auth.entra.tenantId: must be a tenant id: a GUID or a domain"
                + " like contoso.onmicrosoft.com, got \"my tenant/x\"",
            "spillway.yaml:13: models.gpt-4o.backends[0].auth.entra.scop: unknown key; did you mean scope?");
    assertThat(problems(backendWithAuth("entra:\n  tokenUrl: login.example/token\n  clientId: c\n  clientSecret: s\n")))
        .containsExactly(
            "spillway.yaml:10: models.gpt-4o.backends[0].auth.entra.tokenUrl: must be an absolute http(s) URL, got"
                + " \"login.example/token\"");
  }

  @Test
  void clientSecretsAndKeysNeverAppearInProblems() {
    String secret = "sk-entra-very-secret";
    ConfigException e =
        failure(
            backendWithAuth(
                "entra:\n  tokenUrl: \"https://login.example/token?code=%s\"\n  clientId: ${SECRET}\n  clientSecret: ${SECRET}\n  tenant: %s\n"
                    .formatted(secret, secret))
                + "      - id: b\n        url: https://b.example\n        deployment: d\n        tier: ptu\n"
                + "        auth: { apiKey: \"%s\", apiKeyFile: /k }\n".formatted(secret),
            Map.of("SECRET", secret));

    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .contains(
            "models.gpt-4o.backends[0].auth.entra.tenant",
            "models.gpt-4o.backends[1].auth.apiKeyFile");
    assertThat(e.getMessage()).doesNotContain(secret);

    BackendAuth auth =
        ConfigLoader.parse(
                backendWithAuth("entra: { tenantId: t, clientId: c, clientSecret: \"${SECRET}\" }\n"),
                "s.yaml",
                Map.of("SECRET", secret)::get)
            .model("gpt-4o").orElseThrow().backends().getFirst().auth();
    assertThat(auth.entra().orElseThrow().clientSecret()).isEqualTo(secret);
    assertThat(auth.toString()).doesNotContain(secret);
  }
}
