package dev.spillway.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pools a reload keeps, remakes with their backends' state, or makes afresh. */
class GenerationPoolsTest {
  private static final long NOW = 1_000_000_000L;

  private static SpillwayConfig parse(int miniWeight, boolean withEmbeddings) {
    return ConfigLoader.parse("""
        models:
          gpt-4o:
            backends:
              - { id: a, url: "http://127.0.0.1:1", deployment: d-a, tier: payg }
          gpt-4o-mini:
            backends:
              - { id: m, url: "http://127.0.0.1:2", deployment: d-m, tier: payg, weight: %d }
        %s
        """.formatted(miniWeight, withEmbeddings
            ? "  embed:\n    backends:\n      - { id: e, url: \"http://127.0.0.1:3\", deployment: d-e, tier: payg }"
            : ""), "spillway.yaml", name -> null);
  }

  @Test
  void anUnchangedModelKeepsItsPoolAChangedOneCarriesItsBackendsAndANewOneStartsFresh() {
    Map<String, Pool> before = GenerationAssembler.pools(parse(1, false), Map.of());
    before.get("gpt-4o-mini").backend("m").orElseThrow().throttleUntil(NOW + 60 * NOW);

    Map<String, Pool> after = GenerationAssembler.pools(parse(4, true), before);

    assertThat(after.keySet()).containsExactly("gpt-4o", "gpt-4o-mini", "embed");
    assertThat(after.get("gpt-4o")).isSameAs(before.get("gpt-4o"));
    assertThat(after.get("gpt-4o-mini")).isNotSameAs(before.get("gpt-4o-mini"));
    assertThat(after.get("gpt-4o-mini").backend("m").orElseThrow().weight()).isEqualTo(4);
    assertThat(after.get("gpt-4o-mini").backend("m").orElseThrow().isThrottled(NOW)).isTrue();
    assertThat(after.get("embed").backend("e").orElseThrow().isThrottled(NOW)).isFalse();
  }

  @Test
  void aRemovedModelsPoolIsGone() {
    Map<String, Pool> before = GenerationAssembler.pools(parse(1, true), Map.of());

    assertThat(GenerationAssembler.pools(parse(1, false), before)).doesNotContainKey("embed");
  }
}
