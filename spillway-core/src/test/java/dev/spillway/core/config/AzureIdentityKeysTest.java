package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spillway.core.config.ManagedIdentityCredentials.IdKind;
import dev.spillway.core.config.ManagedIdentityCredentials.Protocol;
import dev.spillway.core.config.ManagedIdentityCredentials.UserAssigned;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Azure identities of a backend's {@code auth:} ({@code managedIdentity}, {@code
 * workloadIdentity}, {@code clientCertificate}): defaults from the environment variables Azure
 * platforms set, every validation message with its key path and line, and secrets that never reach
 * a message or a {@code toString()}.
 */
class AzureIdentityKeysTest {
  private static final String TENANT = "11111111-2222-3333-4444-555555555555";
  private static final Map<String, String> WEBHOOK_ENV =
      Map.of(
          "AZURE_TENANT_ID", TENANT,
          "AZURE_CLIENT_ID", "wi-client",
          "AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token",
          "AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com/");

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

  private static AzureIdentity identity(String authKeys, Map<String, String> env) {
    return ConfigLoader.parse(backendWithAuth(authKeys), "spillway.yaml", env::get)
        .model("gpt-4o").orElseThrow().backends().getFirst().auth().identity().orElseThrow();
  }

  private static List<String> problems(String authKeys, Map<String, String> env) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parse(backendWithAuth(authKeys), "spillway.yaml", env::get));
    assertThat(e).as("expected a ConfigException").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  // ---- managedIdentity ----

  @Test
  void anEmptyManagedIdentityIsTheSystemAssignedOneThroughTheMetadataService() {
    ManagedIdentityCredentials expected =
        ManagedIdentityCredentials.imds(
            ManagedIdentityCredentials.IMDS_ENDPOINT, Optional.empty(), ManagedIdentityCredentials.COGNITIVE_SERVICES_RESOURCE);

    assertThat(identity("managedIdentity:\n", Map.of())).isEqualTo(expected);
    assertThat(identity("managedIdentity: {}\n", Map.of())).isEqualTo(expected);
  }

  @Test
  void aUserAssignedIdentityAnEndpointAndAScope() {
    assertThat(identity("managedIdentity:\n  clientId: ${UAI}\n", Map.of("UAI", "client-guid")))
        .isEqualTo(
            ManagedIdentityCredentials.imds(
                ManagedIdentityCredentials.IMDS_ENDPOINT,
                Optional.of(new UserAssigned(IdKind.CLIENT_ID, "client-guid")),
                "https://cognitiveservices.azure.com"));
    assertThat(
            identity(
                "managedIdentity:\n  resourceId: /subscriptions/s/rg/x\n  endpoint: http://127.0.0.1:4000/token\n"
                    + "  scope: api://custom/.default\n",
                Map.of()))
        .isEqualTo(
            ManagedIdentityCredentials.imds(
                URI.create("http://127.0.0.1:4000/token"),
                Optional.of(new UserAssigned(IdKind.RESOURCE_ID, "/subscriptions/s/rg/x")),
                "api://custom"));
  }

  @Test
  void onAppServiceTheIdentityEndpointAndHeaderComeFromTheEnvironment() {
    String secret = "identity-header-secret-value";
    AzureIdentity identity =
        identity(
            "managedIdentity: { objectId: o-1 }\n",
            Map.of("IDENTITY_ENDPOINT", "http://127.0.0.1:41741/msi/token", "IDENTITY_HEADER", secret));

    assertThat(identity)
        .isEqualTo(
            new ManagedIdentityCredentials(
                Protocol.APP_SERVICE,
                URI.create("http://127.0.0.1:41741/msi/token"),
                Optional.of(secret),
                Optional.of(new UserAssigned(IdKind.OBJECT_ID, "o-1")),
                "https://cognitiveservices.azure.com"));
    assertThat(identity.toString()).doesNotContain(secret);
    assertThat(
            identity("managedIdentity:\n  endpoint: http://127.0.0.1:5/t\n", Map.of("IDENTITY_ENDPOINT", "http://x/", "IDENTITY_HEADER", "h")))
        .as("an endpoint written in the file wins")
        .isEqualTo(ManagedIdentityCredentials.imds(URI.create("http://127.0.0.1:5/t"), Optional.empty(), "https://cognitiveservices.azure.com"));
  }

  @Test
  void managedIdentityMistakesAreReportedWithKeyAndLine() {
    assertThat(problems("managedIdentity:\n  clientId: a\n  objectId: b\n  endpont: x\n", Map.of()))
        .containsExactly(
            "spillway.yaml:11: models.gpt-4o.backends[0].auth.managedIdentity.objectId: set only one of clientId, objectId"
                + " or resourceId (they name one identity)",
            "spillway.yaml:12: models.gpt-4o.backends[0].auth.managedIdentity.endpont: unknown key; did you mean endpoint?");
    assertThat(problems("managedIdentity:\n  endpoint: 169.254.169.254/token\n", Map.of()))
        .containsExactly(
            "spillway.yaml:10: models.gpt-4o.backends[0].auth.managedIdentity.endpoint: must be an absolute http(s) URL,"
                + " got \"169.254.169.254/token\"");
    assertThat(problems("managedIdentity: {}\n", Map.of("IDENTITY_ENDPOINT", "not a url", "IDENTITY_HEADER", "h")))
        .containsExactly(
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.managedIdentity: the IDENTITY_ENDPOINT environment variable"
                + " is not an http(s) URL (value not shown)");
    assertThat(problems("managedIdentity: true\n", Map.of()))
        .containsExactly("spillway.yaml:9: models.gpt-4o.backends[0].auth.managedIdentity: must be a mapping, got a single value");
  }

  // ---- workloadIdentity ----

  @Test
  void workloadIdentityTakesWhatTheAksWebhookPutsInTheEnvironment() {
    assertThat(identity("workloadIdentity:\n", WEBHOOK_ENV))
        .isEqualTo(
            new WorkloadIdentityCredentials(
                URI.create("https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/token"),
                "wi-client",
                Path.of("/var/run/secrets/azure/tokens/azure-identity-token"),
                EntraCredentials.COGNITIVE_SERVICES_SCOPE));
  }

  @Test
  void workloadIdentitySettingsInTheFileWinOverTheEnvironment() {
    assertThat(
            identity(
                "workloadIdentity:\n  tenantId: contoso.onmicrosoft.com\n  clientId: file-client\n  tokenFile: /t/token\n"
                    + "  authorityHost: http://127.0.0.1:9000\n  scope: api://x/.default\n",
                WEBHOOK_ENV))
        .isEqualTo(
            new WorkloadIdentityCredentials(
                URI.create("http://127.0.0.1:9000/contoso.onmicrosoft.com/oauth2/v2.0/token"),
                "file-client",
                Path.of("/t/token"),
                "api://x/.default"));
  }

  @Test
  void workloadIdentityWithoutItsEnvironmentSaysWhatIsMissing() {
    assertThat(problems("workloadIdentity: {}\n", Map.of()))
        .containsExactly(
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.workloadIdentity.tenantId: is required (or set the"
                + " AZURE_TENANT_ID environment variable, as the AKS workload identity webhook does)",
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.workloadIdentity.clientId: is required (or set the"
                + " AZURE_CLIENT_ID environment variable, as the AKS workload identity webhook does)",
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.workloadIdentity.tokenFile: is required (or set the"
                + " AZURE_FEDERATED_TOKEN_FILE environment variable, as the AKS workload identity webhook does)");
    Map<String, String> badEnv = new java.util.HashMap<>(WEBHOOK_ENV);
    badEnv.put("AZURE_TENANT_ID", "not/a tenant");
    badEnv.put("AZURE_AUTHORITY_HOST", "login.example");
    assertThat(problems("workloadIdentity:\n", badEnv))
        .containsExactly(
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.workloadIdentity.tenantId: must be a tenant id: a GUID or"
                + " a domain like contoso.onmicrosoft.com, got the AZURE_TENANT_ID environment variable (value not shown)",
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.workloadIdentity.authorityHost: the AZURE_AUTHORITY_HOST"
                + " environment variable is not an http(s) URL without a query (value not shown)");
    assertThat(problems("workloadIdentity:\n  authorityHost: https://login.example/?x=1\n", WEBHOOK_ENV))
        .containsExactly(
            "spillway.yaml:10: models.gpt-4o.backends[0].auth.workloadIdentity.authorityHost: must not have a query: the"
                + " tenant and token path are appended to it");
  }

  // ---- clientCertificate ----

  @Test
  void clientCertificateWithAPasswordFromTheEnvironment() {
    String password = "pfx-password-value";
    AzureIdentity identity =
        identity(
            "clientCertificate:\n  tenantId: " + TENANT + "\n  clientId: app-1\n  certificate: /etc/spillway/app.pfx\n"
                + "  password: ${PFX_PASSWORD}\n",
            Map.of("PFX_PASSWORD", password));

    assertThat(identity)
        .isEqualTo(
            new ClientCertificateCredentials(
                AzureIdentity.tokenUrl(AzureIdentity.DEFAULT_AUTHORITY_HOST, TENANT),
                "app-1",
                Path.of("/etc/spillway/app.pfx"),
                Optional.of(password),
                EntraCredentials.COGNITIVE_SERVICES_SCOPE));
    assertThat(identity.toString()).contains("password=***").doesNotContain(password);
  }

  @Test
  void clientCertificateMistakesAreReportedWithoutThePassword() {
    String password = "pfx-password-in-a-message";
    List<String> problems =
        problems("clientCertificate:\n  tenantId: my tenant\n  password: \"" + password + "\"\n  certficate: x\n", Map.of());

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.clientCertificate.clientId: is required (or set the"
                + " AZURE_CLIENT_ID environment variable)",
            "spillway.yaml:9: models.gpt-4o.backends[0].auth.clientCertificate.certificate: is required",
            "spillway.yaml:10: models.gpt-4o.backends[0].auth.clientCertificate.tenantId: must be a tenant id: a GUID or"
                + " a domain like contoso.onmicrosoft.com, got \"my tenant\"",
            "spillway.yaml:12: models.gpt-4o.backends[0].auth.clientCertificate.certficate: unknown key; did you mean"
                + " certificate?");
    assertThat(String.join("\n", problems)).doesNotContain(password);
    assertThat(problems("clientCertificate:\n  tenantId: t\n  clientId: c\n  certificate: /c.pem\n  password: \"\"\n", Map.of()))
        .containsExactly("spillway.yaml:13: models.gpt-4o.backends[0].auth.clientCertificate.password: is empty");
  }

  @Test
  void theExamplesCommentedIdentitiesAreValidWhenUncommented() throws Exception {
    String example =
        java.nio.file.Files.readString(Path.of("../examples/spillway.yaml"))
            .replaceFirst("          apiKey: \\$\\{AOAI_EASTUS_KEY}[^\n]*\n", "")
            .replace("<tenant>", TENANT)
            .replace("<application id>", "app-id")
            .replace("<identity client id>", "identity-client-id");
    Map<String, String> env = new java.util.HashMap<>(WEBHOOK_ENV);
    env.putAll(
        Map.of(
            "AOAI_EASTUS_KEY", "k1", "AOAI_SWEDENCENTRAL_KEY", "k2", "SPILLWAY_KEY_PEPPER", "pepper-0123456789abcdef", "SPILLWAY_ADMIN_KEY",
            "admin-key-0123456789", "AOAI_CERT_PASSWORD", "pfx-password"));

    assertThat(exampleIdentity(ConfigLoaderTest.uncomment(example, "          # managedIdentity:"), env))
        .isEqualTo(
            ManagedIdentityCredentials.imds(
                ManagedIdentityCredentials.IMDS_ENDPOINT,
                Optional.of(new UserAssigned(IdKind.CLIENT_ID, "identity-client-id")),
                "https://cognitiveservices.azure.com"));
    assertThat(exampleIdentity(ConfigLoaderTest.uncomment(example, "          # workloadIdentity:"), env))
        .isInstanceOf(WorkloadIdentityCredentials.class);
    assertThat(exampleIdentity(ConfigLoaderTest.uncomment(example, "          # clientCertificate:"), env))
        .isEqualTo(
            new ClientCertificateCredentials(
                AzureIdentity.tokenUrl(AzureIdentity.DEFAULT_AUTHORITY_HOST, TENANT),
                "app-id",
                Path.of("/etc/spillway/aoai-app.pfx"),
                Optional.of("pfx-password"),
                EntraCredentials.COGNITIVE_SERVICES_SCOPE));
  }

  private static AzureIdentity exampleIdentity(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, "spillway.yaml", env::get)
        .model("gpt-4o").orElseThrow().backends().getFirst().auth().identity().orElseThrow();
  }

  @Test
  void anIdentityCountsAsOneKindOfCredential() {
    assertThat(problems("apiKey: k\nmanagedIdentity:\n", Map.of()))
        .containsExactly(
            "spillway.yaml:10: models.gpt-4o.backends[0].auth.managedIdentity: set only one of apiKey, apiKeyFile,"
                + " entra, managedIdentity, workloadIdentity or clientCertificate; this auth sets apiKey and managedIdentity");
  }
}
