package dev.spillway.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.Tier;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigDraftTest {
  private static final URI EAST = URI.create("https://contoso-east.openai.azure.com");
  private static final URI SWEDEN = URI.create("https://contoso-sweden.openai.azure.com");

  static DiscoveredDeployment arm(String name, String model, String sku, long capacity) {
    return new DiscoveredDeployment(name, model, "2024-08-06", "OpenAI", Optional.of(sku), OptionalLong.of(capacity),
        "Succeeded");
  }

  static DiscoveredDeployment keyOnly(String name, String model) {
    return new DiscoveredDeployment(name, model, "", "", Optional.empty(), OptionalLong.empty(), "Succeeded");
  }

  static DiscoveredResource viaArm(String name, URI url, String location, DiscoveredDeployment... deployments) {
    return new DiscoveredResource(name, url, Optional.ofNullable(location), "AZURE_OPENAI_KEY_" + name.toUpperCase()
        .replace('-', '_'), true, List.of(deployments));
  }

  @Test
  void groupsDeploymentsByModelAcrossResourcesPtuFirstWithCapacityFromTheSku() {
    ConfigDraft draft = ConfigDraft.of(List.of(
        viaArm("contoso-east", EAST, "eastus",
            arm("chat", "gpt-4o", "GlobalStandard", 450),
            arm("chat-ptu", "gpt-4o", "GlobalProvisionedManaged", 20),
            arm("mini", "gpt-4o-mini", "Standard", 100)),
        viaArm("contoso-sweden", SWEDEN, "swedencentral",
            arm("chat-ptu", "gpt-4o", "DataZoneProvisionedManaged", 15))), Set.of());

    assertThat(draft.models().keySet()).containsExactly("gpt-4o", "gpt-4o-mini");
    List<DraftBackend> gpt4o = draft.models().get("gpt-4o");
    assertThat(gpt4o).extracting(DraftBackend::id)
        .containsExactly("eastus-chat-ptu", "swedencentral-chat-ptu", "eastus-chat");
    assertThat(gpt4o).extracting(DraftBackend::tier).containsExactly(Tier.PTU, Tier.PTU, Tier.PAYG);
    assertThat(gpt4o).extracting(DraftBackend::priority).containsExactly(1, 1, 2);
    // gpt-4o: 2,500 input tokens a minute per PTU (published figures); standard capacity is thousands of TPM.
    assertThat(gpt4o).extracting(b -> b.tokensPerMinute().getAsLong()).containsExactly(50_000L, 37_500L, 450_000L);
    assertThat(gpt4o.get(1).url()).isEqualTo(SWEDEN);
    assertThat(gpt4o.get(1).region()).isEqualTo("swedencentral");
    assertThat(gpt4o.get(1).keyEnv()).isEqualTo("AZURE_OPENAI_KEY_CONTOSO_SWEDEN");
    assertThat(gpt4o.get(0).comments().getFirst()).contains("GlobalProvisionedManaged", "20 PTU", "2,500");
    assertThat(draft.notes()).isEmpty();
  }

  @Test
  void everyProvisionedSkuIsPtuAndEveryStandardSkuIsPayg() {
    for (String sku : List.of("ProvisionedManaged", "GlobalProvisionedManaged", "DataZoneProvisionedManaged")) {
      assertThat(AzureSku.of(sku)).as(sku).isEqualTo(AzureSku.PTU);
    }
    for (String sku : List.of("Standard", "GlobalStandard", "DataZoneStandard", "globalstandard")) {
      assertThat(AzureSku.of(sku)).as(sku).isEqualTo(AzureSku.PAYG);
    }
    assertThat(AzureSku.of("GlobalBatch")).isEqualTo(AzureSku.BATCH);
    assertThat(AzureSku.of("DeveloperTier")).isEqualTo(AzureSku.UNKNOWN);
  }

  @Test
  void leavesOutUnfinishedBatchAndNonOpenAiDeploymentsAndSaysWhy() {
    DiscoveredDeployment creating = new DiscoveredDeployment("new", "gpt-4o", "1", "OpenAI",
        Optional.of("Standard"), OptionalLong.of(10), "Creating");
    DiscoveredDeployment mistral = new DiscoveredDeployment("mistral", "Mistral-Large", "1", "Mistral AI",
        Optional.of("GlobalStandard"), OptionalLong.of(1), "Succeeded");
    ConfigDraft draft = ConfigDraft.of(List.of(viaArm("contoso-east", EAST, "eastus", creating, mistral,
        arm("batch", "gpt-4o", "GlobalBatch", 100), arm("chat", "gpt-4o", "DeveloperTier", 5))), Set.of());

    assertThat(draft.models().get("gpt-4o")).extracting(DraftBackend::id).containsExactly("eastus-chat");
    assertThat(draft.models().get("gpt-4o").getFirst().tier()).isEqualTo(Tier.PAYG);
    assertThat(draft.models().get("gpt-4o").getFirst().comments()).anyMatch(c -> c.contains("unknown to spillway init"));
    assertThat(draft.notes()).hasSize(3);
    assertThat(String.join("\n", draft.notes())).contains("contoso-east/new", "Creating", "contoso-east/mistral",
        "Mistral AI", "contoso-east/batch", "batch jobs only");
  }

  @Test
  void keyOnlyDeploymentsArePaygUnlessPtuNamesThemAndHaveNoCapacity() {
    DiscoveredResource east = new DiscoveredResource("contoso-east", EAST, Optional.empty(), "EAST_KEY", false,
        List.of(keyOnly("chat-ptu", "gpt-4o"), keyOnly("chat", "gpt-4o")));
    ConfigDraft draft = ConfigDraft.of(List.of(east), Set.of("chat-ptu"));

    List<DraftBackend> backends = draft.models().get("gpt-4o");
    assertThat(backends).extracting(DraftBackend::id).containsExactly("contoso-east-chat-ptu", "contoso-east-chat");
    assertThat(backends).extracting(DraftBackend::tier).containsExactly(Tier.PTU, Tier.PAYG);
    assertThat(backends).allMatch(b -> b.tokensPerMinute().isEmpty());
    assertThat(backends.get(1).comments()).anyMatch(c -> c.contains("SKU unknown"))
        .anyMatch(c -> c.contains("--ptu chat"));
    assertThat(backends.get(0).comments()).anyMatch(c -> c.contains("--ptu named it"));
  }

  @Test
  void ptuNamingNoKeyOnlyDeploymentIsRefused() {
    DiscoveredResource east = new DiscoveredResource("contoso-east", EAST, Optional.empty(), "EAST_KEY", false,
        List.of(keyOnly("chat", "gpt-4o")));
    assertThatThrownBy(() -> ConfigDraft.of(List.of(east), Set.of("chat-ptu")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chat-ptu").hasMessageContaining("found: chat");
  }

  @Test
  void resourceNamesPrefixIdsWhenRegionsAreSharedAndDuplicatesGetASuffix() {
    ConfigDraft draft = ConfigDraft.of(List.of(
        viaArm("contoso-a", EAST, "eastus", arm("chat", "gpt-4o", "Standard", 1)),
        viaArm("contoso-b", SWEDEN, "eastus", arm("chat", "gpt-4o", "Standard", 1)),
        viaArm("contoso", SWEDEN, null, arm("a-chat", "gpt-4o", "Standard", 1)),
        viaArm("contoso-a", EAST, null, arm("chat", "gpt-4o", "Standard", 1))), Set.of());
    assertThat(draft.models().get("gpt-4o")).extracting(DraftBackend::id)
        .containsExactly("contoso-a-chat", "contoso-b-chat", "contoso-a-chat-2", "contoso-a-chat-3");
  }

  @Test
  void aPtuOfAModelWithoutPublishedFiguresGetsNoCapacityHint() {
    ConfigDraft draft = ConfigDraft.of(List.of(viaArm("contoso-east", EAST, "eastus",
        arm("ft", "gpt-4o-2024-08-06.ft-abc", "ProvisionedManaged", 25))), Set.of());
    DraftBackend ft = draft.models().get("gpt-4o-2024-08-06.ft-abc").getFirst();
    assertThat(ft.tier()).isEqualTo(Tier.PTU);
    assertThat(ft.tokensPerMinute()).isEmpty();
    assertThat(ft.comments()).anyMatch(c -> c.contains("25 PTU")).anyMatch(c -> c.contains("set capacity.tokensPerMinute"));
  }

  @Test
  void nothingToRouteToIsAnError() {
    DiscoveredDeployment failed = new DiscoveredDeployment("x", "gpt-4o", "", "OpenAI", Optional.of("Standard"),
        OptionalLong.of(1), "Failed");
    assertThatThrownBy(() -> ConfigDraft.of(List.of(viaArm("contoso-east", EAST, "eastus", failed)), Set.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no deployment to route to")
        .hasMessageContaining("Failed");
    assertThatThrownBy(() -> ConfigDraft.of(List.of(viaArm("contoso-east", EAST, "eastus")), Set.of()))
        .hasMessageContaining("have no deployments");
  }

  @Test
  void resourceIdsParseCaseInsensitivelyAndBadOnesAreNamed() {
    AzureResourceId id = AzureResourceId.parse(
        "/subscriptions/sub-1/resourcegroups/rg-ai/providers/microsoft.cognitiveservices/accounts/contoso-east");
    assertThat(id).isEqualTo(new AzureResourceId("sub-1", "rg-ai", "contoso-east"));
    assertThat(id.path()).isEqualTo(
        "/subscriptions/sub-1/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/contoso-east");
    assertThatThrownBy(() -> AzureResourceId.parse("/subscriptions/sub-1/resourceGroups/rg/providers/"
        + "Microsoft.Storage/storageAccounts/x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an Azure OpenAI resource id");
  }
}
