package dev.spillway.cli.init;

import static dev.spillway.cli.init.ConfigDraftTest.arm;
import static dev.spillway.cli.init.ConfigDraftTest.viaArm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written YAML loads with the gateway's own loader into the backends the draft describes. */
class InitYamlTest {
  private static final Map<String, String> ENV = Map.of(
      "AZURE_OPENAI_KEY_CONTOSO_EAST", "east-secret-key",
      "AZURE_OPENAI_KEY_CONTOSO_SWEDEN", "sweden-secret-key",
      "SPILLWAY_KEY_PEPPER", "pepper-0123456789abcdef",
      "AZURE_CLIENT_SECRET", "client-secret-value");

  private static ConfigDraft draft() {
    return ConfigDraft.of(List.of(
        viaArm("contoso-east", URI.create("https://contoso-east.openai.azure.com"), "eastus",
            arm("chat-ptu", "gpt-4o", "ProvisionedManaged", 20), arm("chat", "gpt-4o", "GlobalStandard", 450),
            arm("true", "1106", "Standard", 1)),
        viaArm("contoso-sweden", URI.create("https://contoso-sweden.openai.azure.com"), "swedencentral",
            arm("chat-ptu", "gpt-4o", "GlobalProvisionedManaged", 15))), Set.of());
  }

  @Test
  void writtenConfigLoadsIntoTheDraftsPoolsWithKeysFromTheEnvironment(@TempDir Path dir) {
    String yaml = InitYaml.write(draft(), new BackendAuthStyle.ApiKey(), "my-app", "default");
    SpillwayConfig config = ConfigLoader.parse(yaml, "spillway.yaml", ENV::get, dir);

    assertThat(config.models().keySet()).containsExactlyInAnyOrder("gpt-4o", "1106");
    List<BackendConfig> gpt4o = config.models().get("gpt-4o").backends();
    assertThat(gpt4o).extracting(BackendConfig::id)
        .containsExactly("eastus-chat-ptu", "swedencentral-chat-ptu", "eastus-chat");
    assertThat(gpt4o).extracting(BackendConfig::tier).containsExactly(Tier.PTU, Tier.PTU, Tier.PAYG);
    assertThat(gpt4o).extracting(BackendConfig::priority).containsExactly(1, 1, 2);
    assertThat(gpt4o).extracting(b -> b.capacity().tokensPerMinute().getAsLong())
        .containsExactly(50_000L, 37_500L, 450_000L);
    assertThat(gpt4o.get(1).url()).isEqualTo(URI.create("https://contoso-sweden.openai.azure.com"));
    assertThat(gpt4o.get(1).deployment()).isEqualTo("chat-ptu");
    assertThat(gpt4o.get(1).region()).isEqualTo("swedencentral");
    assertThat(gpt4o.get(1).auth().apiKey()).contains("sweden-secret-key");
    assertThat(gpt4o.get(0).auth().apiKey()).contains("east-secret-key");
    assertThat(config.models().get("1106").backends().getFirst().deployment()).isEqualTo("true");
    assertThat(config.consumer("my-app").orElseThrow().team()).isEqualTo("default");
    assertThat(config.auth().required()).isTrue();
    assertThat(config.auth().keyPepper()).contains("pepper-0123456789abcdef");
    assertThat(config.auth().keyStore()).isEqualTo(dir.resolve("spillway-data/keys.json"));
  }

  @Test
  void theFileNamesVariablesAndHoldsNoSecret() {
    String yaml = InitYaml.write(draft(), new BackendAuthStyle.ApiKey(), "my-app", "default");
    assertThat(yaml).contains("${AZURE_OPENAI_KEY_CONTOSO_EAST}", "${AZURE_OPENAI_KEY_CONTOSO_SWEDEN}",
        "${SPILLWAY_KEY_PEPPER}", "# contoso-east/chat-ptu: gpt-4o 2024-08-06, ProvisionedManaged, 20 PTU");
    ENV.values().forEach(secret -> assertThat(yaml).doesNotContain(secret));
  }

  @Test
  void entraBackendAuthWritesTheTokenUrlClientAndSecretVariable(@TempDir Path dir) {
    URI tokenUrl = URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    String yaml = InitYaml.write(draft(), new BackendAuthStyle.Entra(tokenUrl, "app-123", "AZURE_CLIENT_SECRET"),
        "my-app", "default");
    assertThat(yaml).contains("${AZURE_CLIENT_SECRET}").doesNotContain("AZURE_OPENAI_KEY_").doesNotContain(
        "client-secret-value");
    SpillwayConfig config = ConfigLoader.parse(yaml, "spillway.yaml", ENV::get, dir);
    BackendConfig backend = config.models().get("gpt-4o").backends().getFirst();
    assertThat(backend.auth().entra()).hasValueSatisfying(e -> {
      assertThat(e.tokenUrl()).isEqualTo(tokenUrl);
      assertThat(e.clientId()).isEqualTo("app-123");
      assertThat(e.clientSecret()).isEqualTo("client-secret-value");
      assertThat(e.scope()).isEqualTo("https://cognitiveservices.azure.com/.default");
    });
  }

  @Test
  void scalarsThatYamlWouldReadAsSomethingElseAreQuoted() {
    assertThat(InitYaml.scalar("gpt-4o")).isEqualTo("gpt-4o");
    assertThat(InitYaml.scalar("http://127.0.0.1:8081")).isEqualTo("http://127.0.0.1:8081");
    assertThat(InitYaml.scalar("1106")).isEqualTo("\"1106\"");
    assertThat(InitYaml.scalar("true")).isEqualTo("\"true\"");
    assertThat(InitYaml.scalar("a: b")).isEqualTo("\"a: b\"");
    assertThat(InitYaml.scalar("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
  }
}
