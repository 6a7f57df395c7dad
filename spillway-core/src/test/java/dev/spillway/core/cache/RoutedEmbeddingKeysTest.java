package dev.spillway.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.SpillwayConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code cache.semantic.embeddingsModel} and {@code embeddingsConsumer}: the semantic layer's embedder. */
class RoutedEmbeddingKeysTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - { id: a, url: "https://a.example", deployment: d, tier: ptu }
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", name -> null);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("the config is refused").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void withoutAnEmbeddingsModelTheInProcessModelEmbeds() {
    CacheSettings s = parse("cache: { semantic: {} }\n").policySettings().get(CacheSettings.class).orElseThrow();
    assertThat(s.embedding()).isEmpty();
  }

  @Test
  void theGatewaysSectionNamesTheModelAndItsConsumer() {
    CacheSettings s = parse("cache: { semantic: { embeddingsModel: emb, embeddingsConsumer: bot } }\n")
        .policySettings().get(CacheSettings.class).orElseThrow();
    assertThat(s.embedding()).contains(new RoutedEmbedding("emb", Optional.of("bot")));
    CacheSettings anonymous = parse("cache: { semantic: { embeddingsModel: emb } }\n")
        .policySettings().get(CacheSettings.class).orElseThrow();
    assertThat(anonymous.embedding()).contains(new RoutedEmbedding("emb", Optional.empty()));
  }

  @Test
  void aConsumerCannotChooseTheEmbedderNorNameAConsumerWithoutAModel() {
    assertThat(problems("""
        consumers:
          - { id: alice, models: ["*"], cache: { semantic: { embeddingsModel: emb } } }
        """)).anySatisfy(p -> assertThat(p).contains("embeddingsModel", "only the gateway's own cache section"));
    assertThat(problems("cache: { semantic: { embeddingsConsumer: bot } }\n"))
        .anySatisfy(p -> assertThat(p).contains("embeddingsConsumer", "set embeddingsModel too"));
  }
}
