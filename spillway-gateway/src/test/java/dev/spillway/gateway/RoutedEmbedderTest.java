package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.api.Operation;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.DeploymentKind;
import dev.spillway.simulator.FaultConfig;
import dev.spillway.simulator.FaultKind;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic cache with {@code embeddingsModel}: its vectors come from an embeddings model of the gateway's own,
 * called through the gateway (as the configured consumer, PTU first), not from the in-process model; a broken
 * embeddings model costs the cache, never the request; a config naming an unknown model or consumer does not start.
 */
class RoutedEmbedderTest {
  @TempDir
  Path dir;
  private TestWorld world;
  private String key;

  private static DeploymentConfig embeddings(String name, Tier tier) {
    return new DeploymentConfig(name, DeploymentKind.EMBEDDINGS, tier, tier == Tier.PTU ? 10_000_000 : 0, 0, 0, 256,
        FaultConfig.NONE);
  }

  private String yaml(String embedder) {
    return """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: sim, url: "%1$s", deployment: gpt-4o, auth: { apiKey: %2$s }, tier: payg }
          text-embedding-3-small:
            backends:
              - { id: emb-ptu, url: "%1$s", deployment: emb-ptu, auth: { apiKey: %2$s }, tier: ptu, priority: 1 }
              - { id: emb-payg, url: "%1$s", deployment: emb-payg, auth: { apiKey: %2$s }, tier: payg, priority: 2 }
          broken-embeddings:
            backends:
              - { id: emb-broken, url: "%1$s", deployment: emb-broken, auth: { apiKey: %2$s }, tier: payg }
        cache: { ttl: 10m, varyBy: consumer, semantic: { threshold: 0.7, %3$s } }
        consumers:
          - { id: alice, team: red, models: [gpt-4o] }
          - { id: cache-bot, team: platform, models: [text-embedding-3-small, broken-embeddings] }
        auth:
          keyStore: %4$s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, embedder, dir.resolve("keys.json"));
  }

  @BeforeEach
  void simulate() {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("gpt-4o", 10_000_000, 100_000),
        embeddings("emb-ptu", Tier.PTU), embeddings("emb-payg", Tier.PAYG),
        embeddings("emb-broken", Tier.PAYG).withFaults(FaultConfig.of(1.0, FaultKind.HTTP_500))));
  }

  private void start(String embedder) {
    world.gateway(ConfigLoader.parse(yaml(embedder), "spillway.yaml", name -> null));
    KeyStore store = world.gateway.keys().orElseThrow();
    key = store.create("alice", Instant.now()).plaintext();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private static String chat(String question) {
    return "{\"model\":\"gpt-4o\",\"temperature\":0,\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\""
        + question + "\"}]}";
  }

  private HttpResponse<String> ask(String question) throws Exception {
    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), chat(question), Map.of("api-key", key));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private long semanticEntries() {
    try {
      return Http.json(Http.get(world.url("/admin/cache"))).path("semantic").path("entries").asLong();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The outcomes published so far, waiting for {@code count}. */
  private List<RequestOutcome> outcomes(int count) throws Exception {
    List<RequestOutcome> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(world.listener.nextRequest());
    }
    return out;
  }

  @Test
  void vectorsComeFromTheConfiguredModelThroughTheGatewayAsItsConsumerPtuFirst() throws Exception {
    start("embeddingsModel: text-embedding-3-small, embeddingsConsumer: cache-bot");
    HttpResponse<String> first = ask("How do I reset my password?");
    assertThat(first.headers().firstValue("x-spillway-cache")).hasValue("MISS");
    TestWorld.await("the first answer in the semantic layer", () -> semanticEntries() == 1);
    assertThat(Http.json(Http.get(world.url("/admin/cache"))).path("semantic").path("embedder").asText())
        .isEqualTo("routed:text-embedding-3-small");
    HttpResponse<String> rephrased = ask("How can I reset my password?");
    assertThat(rephrased.headers().firstValue("x-spillway-cache")).hasValue("SEMANTIC_HIT");
    assertThat(rephrased.body()).isEqualTo(first.body());

    // The lookup of each question and the store of the first: embedding calls, each through the gateway's pipeline as
    // cache-bot, routed to the PTU embeddings deployment first.
    List<RequestOutcome> seen = outcomes(4);
    List<RequestOutcome> embeddingCalls = seen.stream().filter(o -> o.operation() == Operation.EMBEDDINGS).toList();
    assertThat(embeddingCalls).hasSizeGreaterThanOrEqualTo(2).allSatisfy(o -> {
      assertThat(o.caller().consumer()).isEqualTo("cache-bot");
      assertThat(o.status()).isEqualTo(200);
      assertThat(o.backend().orElseThrow().id()).isEqualTo("emb-ptu");
    });
    assertThat(world.simulator.stats().deployment("emb-ptu").requests()).isGreaterThanOrEqualTo(2);
    assertThat(world.simulator.stats().deployment("emb-payg").requests()).isZero();
  }

  @Test
  void aCallerCannotPresentTheGatewaysOwnCredentialAndAnUnknownCredentialStaysUnknown() throws Exception {
    start("embeddingsModel: text-embedding-3-small, embeddingsConsumer: cache-bot");
    HttpResponse<String> r = Http.post(world.url("/v1/embeddings"), "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}",
        Map.of("authorization", "Bearer spw-self-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void anEmbeddingsModelThatFailsCostsTheCacheNeverTheRequest() throws Exception {
    start("embeddingsModel: broken-embeddings, embeddingsConsumer: cache-bot");
    HttpResponse<String> first = ask("How do I reset my password?");
    HttpResponse<String> again = ask("How can I reset my password?");
    assertThat(first.headers().firstValue("x-spillway-cache")).hasValue("MISS");
    assertThat(again.headers().firstValue("x-spillway-cache")).hasValue("MISS");
    assertThat(world.simulator.stats().deployment("emb-broken").requests()).isPositive();
  }

  @Test
  void aConfigNamingAnUnknownModelOrConsumerDoesNotStart() {
    for (String bad : List.of("embeddingsModel: no-such-model, embeddingsConsumer: cache-bot",
        "embeddingsModel: text-embedding-3-small, embeddingsConsumer: nobody",
        "embeddingsModel: text-embedding-3-small")) {
      SpillwayConfig config = ConfigLoader.parse(yaml(bad), "spillway.yaml", name -> null);
      assertThatThrownBy(() -> world.gateway(config)).as(bad).hasStackTraceContaining("cache.semantic.embeddings");
    }
  }
}
