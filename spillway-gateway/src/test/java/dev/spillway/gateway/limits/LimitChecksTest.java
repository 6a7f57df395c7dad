package dev.spillway.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.LimitSettings;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.limits.LimitKind;
import dev.spillway.gateway.auth.Principal;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checks a request is limited by, now kept per consumer and model where they depend on nothing else. */
class LimitChecksTest {
  private static ConsumerConfig consumer(String team, long tokensPerMinute, List<String> per) {
    return ConsumerConfig.builder().id("app").team(team).models(List.of("*")).priorityClass(PriorityClass.STANDARD)
        .limits(new LimitSettings(Map.of(LimitKind.TOKENS_PER_MINUTE, tokensPerMinute), per)).build();
  }

  private static List<LimitCheck> checks(ConsumerConfig consumer, MultiMap headers, String model) {
    return LimitAdmission.checks(Principal.of(consumer, Set.of(), "key"), headers, "10.0.0.1", model);
  }

  @Test
  void aReloadedConsumerIsLimitedByItsNewSettings() {
    List<String> per = List.of("consumer", "team", "model");
    assertThat(checks(consumer("a", 100, per), MultiMap.caseInsensitiveMultiMap(), "gpt-4o"))
        .extracting(LimitCheck::limit).containsExactly(100L);

    List<LimitCheck> reloaded = checks(consumer("b", 200, per), MultiMap.caseInsensitiveMultiMap(), "gpt-4o");

    assertThat(reloaded).extracting(LimitCheck::limit).containsExactly(200L);
    assertThat(reloaded.get(0).counterKey()).contains("team=b").contains("model=gpt-4o");
  }

  @Test
  void eachModelHasItsOwnCounter() {
    ConsumerConfig consumer = consumer("a", 100, List.of("consumer", "model"));
    String first = checks(consumer, MultiMap.caseInsensitiveMultiMap(), "gpt-4o").get(0).counterKey();
    String second = checks(consumer, MultiMap.caseInsensitiveMultiMap(), "gpt-4o-mini").get(0).counterKey();
    assertThat(first).isNotEqualTo(second);
    assertThat(checks(consumer, MultiMap.caseInsensitiveMultiMap(), "gpt-4o").get(0).counterKey()).isEqualTo(first);
  }

  @Test
  void aHeaderDimensionIsReadFromEachRequest() {
    ConsumerConfig consumer = consumer("a", 100, List.of("consumer", "header:x-tenant"));
    String one = checks(consumer, MultiMap.caseInsensitiveMultiMap().add("x-tenant", "one"), "m").get(0).counterKey();
    String two = checks(consumer, MultiMap.caseInsensitiveMultiMap().add("x-tenant", "two"), "m").get(0).counterKey();
    assertThat(one).contains("one");
    assertThat(two).contains("two");
  }
}
