package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendCapacity;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.SessionAffinity;
import dev.spillway.core.config.Tier;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' pools sharing session pins through one {@link InMemorySessionPinStore}: a session pinned on one is
 * routed to the same backend by the other, which would otherwise pick by its own round robin; the store holds a hash,
 * never the session key; a store that fails leaves routing to the local pins.
 */
class SharedSessionPinsTest {
  private final Router router = new Router(RoutingConfig.DEFAULTS);
  private final SplittableRandom random = new SplittableRandom(5);

  private static BackendConfig backend(String id, String deployment) {
    return BackendConfig.builder().id(id).type(BackendType.AZURE).url(URI.create("http://127.0.0.1:1"))
        .deployment(deployment).tier(Tier.PAYG).priority(1).region("r")
        .capacity(new BackendCapacity(OptionalLong.empty(), OptionalLong.empty())).build();
  }

  private static Pool pool(String secondDeployment) {
    return new Pool(ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.ROUND_ROBIN)
        .backends(List.of(backend("one", "d1"), backend("two", secondDeployment)))
        .affinity(new SessionAffinity(SessionAffinity.Source.HEADER, "x-session-id")).build());
  }

  private String route(Pool pool, String session) {
    RouteDecision d = router.choose(pool, pool.newCycle(Long.MAX_VALUE, 0, Optional.of(session)), 0, random);
    return ((RouteDecision.Use) d).backend().id();
  }

  @Test
  void aSessionPinnedOnOneReplicaGoesToTheSameBackendOnTheOther() {
    InMemorySessionPinStore store = new InMemorySessionPinStore(100);
    SharedSessionPins onA = new SharedSessionPins(store);
    SharedSessionPins onB = new SharedSessionPins(store);
    Pool a = pool("d2");
    Pool b = pool("d2");
    for (int i = 0; i < 6; i++) {
      String session = "session-" + i;
      onA.recall(a, session).toCompletableFuture().join();
      String chosen = route(a, session);
      onA.pinned(a, session, a.backend(chosen).orElseThrow());
      // b routes other traffic in between, so its round robin is not where a's was
      route(b, "other-" + i);
      onB.recall(b, session).toCompletableFuture().join();
      assertThat(route(b, session)).as(session).isEqualTo(chosen);
    }
  }

  @Test
  void aPinNamingAnotherDeploymentIsNotFollowedAndTheStoreNeverHoldsTheKey() {
    InMemorySessionPinStore store = new InMemorySessionPinStore(100);
    Pool a = pool("d2");
    new SharedSessionPins(store).pinned(a, "alice@example.com", a.backend("two").orElseThrow());
    String id = SharedSessionPins.sessionId("gpt-4o", "alice@example.com");
    assertThat(id).hasSize(64).doesNotContain("alice");
    assertThat(store.find(id).toCompletableFuture().join()).contains(SharedThrottles.sharedName(a.backend("two")
        .orElseThrow().config()));

    Pool other = pool("d3"); // "two" is another deployment in this config
    new SharedSessionPins(store).recall(other, "alice@example.com").toCompletableFuture().join();
    assertThat(other.pinned("alice@example.com")).isEmpty();
  }

  @Test
  void theInProcessStoreDropsTheLeastRecentlyUsedSessionBeyondItsBound() {
    InMemorySessionPinStore store = new InMemorySessionPinStore(2);
    store.pin("s1", "one@1");
    store.pin("s2", "two@2");
    store.find("s1"); // s1 used: s2 is now the eldest
    store.pin("s3", "one@1");
    assertThat(store.find("s1").toCompletableFuture().join()).contains("one@1");
    assertThat(store.find("s2").toCompletableFuture().join()).isEmpty();
    assertThat(store.find("s3").toCompletableFuture().join()).contains("one@1");
  }

  @Test
  void aStoreThatFailsLeavesTheLocalPin() {
    SessionPinStore broken = new SessionPinStore() {
      @Override
      public CompletionStage<Optional<String>> find(String sessionId) {
        return CompletableFuture.failedFuture(new IllegalStateException("down"));
      }

      @Override
      public void pin(String sessionId, String backend) {}

      @Override
      public void close() {}
    };
    SharedSessionPins pins = new SharedSessionPins(broken);
    Pool a = pool("d2");
    pins.pinned(a, "s", a.backend("two").orElseThrow());
    assertThat(pins.recall(a, "s").toCompletableFuture().join()).isNull();
    assertThat(route(a, "s")).isEqualTo("two");
    assertThat(SharedSessionPins.local().recall(a, "s").toCompletableFuture().isDone()).isTrue();
  }
}
