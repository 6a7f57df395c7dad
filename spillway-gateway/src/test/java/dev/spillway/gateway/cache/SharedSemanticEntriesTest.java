package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.cache.semantic.InMemorySemanticIndex;
import dev.spillway.core.cache.semantic.LexicalGuard;
import dev.spillway.core.cache.semantic.LocalMiniLmEmbedder;
import dev.spillway.core.cache.semantic.SemanticIndex;
import dev.spillway.core.cache.semantic.SemanticEntry;
import dev.spillway.core.time.Ticker;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.store.redis.PrivateRedisServer;
import dev.spillway.gateway.store.redis.RedisCacheOptions;
import dev.spillway.gateway.store.redis.RedisOutage;
import dev.spillway.gateway.store.redis.RedisTestSupport;
import dev.spillway.simulator.faults.OutageProxy;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas' semantic indexes kept in step through a real Redis: an entry stored on one is found on the others and on
 * one that starts later; an invalidation reaches all of them; a replica whose Redis goes away (reset, silent, or
 * restarted empty) steps aside, and when Redis is back it holds exactly what Redis holds. Each replica's index is the
 * production {@link InMemorySemanticIndex}; one test embeds with the in-process model, so a paraphrase asked on one
 * replica finds what another stored. Propagation is asynchronous, so the tests wait (polling, at most 10 s) for what
 * they cannot be told about.
 */
class SharedSemanticEntriesTest {
  private static final String PARTITION = "partition-1";

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final List<SharedSemanticEntries> replicas = new ArrayList<>();
  private final String prefix = "spillway:test:semantic:" + UUID.randomUUID() + ":";
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger log = Logger.getLogger("spillway.cache.redis");

  @BeforeEach
  void listen() {
    log.addHandler(capture);
  }

  @AfterEach
  void stop() throws Exception {
    log.removeHandler(capture);
    replicas.forEach(SharedSemanticEntries::close);
    try {
      RedisTestSupport.deleteKeys(vertx, prefix + "*");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A replica on Redis at {@code url}, in step. */
  private SharedSemanticEntries replica(String url, SemanticIndex index) throws InterruptedException {
    RedisCacheOptions options = new RedisCacheOptions(url, prefix, Duration.ofSeconds(2), Duration.ofMillis(100),
        Duration.ofMillis(100), 4);
    SharedSemanticEntries r = SharedSemanticEntries.start(vertx, index, options,
        new RedisOutage(options.endpoint(), options.probeInterval(), Ticker.systemTicker()), Clock.systemUTC());
    replicas.add(r);
    await("the replica to be in step", r::inStep);
    return r;
  }

  private SharedSemanticEntries replica(SemanticIndex index) throws InterruptedException {
    RedisTestSupport.requireRedis();
    return replica(RedisTestSupport.CONNECTION_STRING, index);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** A unit vector pointing mostly along axis {@code axis} of 8. */
  private static float[] vector(int axis) {
    float[] v = new float[8];
    v[axis] = 0.96f;
    v[(axis + 1) % 8] = 0.28f;
    return v;
  }

  private static SemanticEntry entry(String id, String tenant, int axis) {
    long now = System.currentTimeMillis();
    byte[] json = ("{\"object\":\"chat.completion\",\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    CachedAnswer answer = new CachedAnswer(id, tenant, "gpt-4o", json, TokenUsage.of(10, 20), now, now + 3_600_000);
    return new SemanticEntry(PARTITION, "question " + id, vector(axis), answer);
  }

  /** The production index, with its default exhaustive-search limit. */
  private static SemanticIndex index() {
    return new InMemorySemanticIndex(10_000, 64L * 1024 * 1024, 2_000);
  }

  /** True when {@code index} itself (not the shared layer over it) holds {@code e}. */
  private static boolean holds(SemanticIndex index, SemanticEntry e) {
    return index.nearest(PARTITION, e.question(), e.vector(), 0.99, LexicalGuard.NONE, System.currentTimeMillis())
        .filter(m -> m.entry().id().equals(e.id())).isPresent();
  }

  private static boolean finds(SharedSemanticEntries replica, SemanticEntry e) {
    return replica.nearest(PARTITION, e.question(), e.vector(), 0.99, LexicalGuard.NONE, System.currentTimeMillis())
        .filter(m -> m.entry().id().equals(e.id())).isPresent();
  }

  @Test
  void anEntryStoredOnOneReplicaIsFoundOnTheOthersAndOnOneThatStartsLater() throws Exception {
    SharedSemanticEntries a = replica(index());
    SharedSemanticEntries b = replica(index());
    SemanticEntry e = entry("e1", "c:alice", 0);
    a.put(e, System.currentTimeMillis());
    assertThat(finds(a, e)).as("at once where it was stored").isTrue();
    await("b to hear of it", () -> finds(b, e));
    SemanticEntry back = b.nearest(PARTITION, "anything", e.vector(), 0.99, LexicalGuard.NONE, System.currentTimeMillis())
        .orElseThrow().entry();
    assertThat(back.question()).isEqualTo(e.question());
    assertThat(back.answer().completion()).isEqualTo(e.answer().completion());
    assertThat(back.answer().tenant()).isEqualTo("c:alice");

    SharedSemanticEntries later = replica(index());
    assertThat(finds(later, e)).as("loaded when it started").isTrue();
    assertThat(later.size()).isEqualTo(1);
  }

  @Test
  void aParaphraseAskedOnAnotherReplicaFindsTheAnswerStoredOnTheFirst() throws Exception {
    LocalMiniLmEmbedder embedder = new LocalMiniLmEmbedder();
    SharedSemanticEntries a = replica(index());
    SharedSemanticEntries b = replica(index());
    long now = System.currentTimeMillis();
    String question = "How do I reset my password?";
    byte[] json = "{\"object\":\"chat.completion\"}".getBytes(StandardCharsets.UTF_8);
    SemanticEntry stored = new SemanticEntry(PARTITION, question, embedder.embed(question),
        new CachedAnswer("reset", "c:alice", "gpt-4o", json, TokenUsage.of(9, 40), now, now + 3_600_000));
    a.put(stored, now);
    await("b to hear of it", () -> finds(b, stored));

    float[] paraphrase = embedder.embed("How can I reset my password?");
    double onA = a.nearest(PARTITION, "How can I reset my password?", paraphrase, 0.8, LexicalGuard.NONE, now)
        .orElseThrow().similarity();
    double onB = b.nearest(PARTITION, "How can I reset my password?", paraphrase, 0.8, LexicalGuard.NONE, now)
        .orElseThrow().similarity();
    assertThat(onB).as("the vector crossed Redis unchanged").isEqualTo(onA);
    float[] unrelated = embedder.embed("What is the capital of Australia?");
    assertThat(b.nearest(PARTITION, "What is the capital of Australia?", unrelated, 0.8, LexicalGuard.NONE, now))
        .isEmpty();
  }

  @Test
  void anInvalidationOnOneReplicaReachesEveryReplicaAndRedis() throws Exception {
    SharedSemanticEntries a = replica(index());
    SharedSemanticEntries b = replica(index());
    SemanticEntry alice = entry("e1", "c:alice", 0);
    SemanticEntry bob = entry("e2", "c:bob", 2);
    a.put(alice, System.currentTimeMillis());
    a.put(bob, System.currentTimeMillis());
    await("b to hear of both", () -> finds(b, alice) && finds(b, bob));

    long removed = b.invalidateEverywhere(new CacheScope("c:alice", "", "")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(removed).isEqualTo(1);
    assertThat(finds(b, alice)).isFalse();
    await("a to hear of the invalidation", () -> !finds(a, alice));
    assertThat(finds(a, bob)).isTrue();

    SharedSemanticEntries later = replica(index());
    assertThat(finds(later, alice)).isFalse();
    assertThat(finds(later, bob)).isTrue();
  }

  @Test
  void aReplicaCutOffStepsAsideAndCatchesUpWhenRedisIsBack() throws Exception {
    RedisTestSupport.requireRedis();
    SharedSemanticEntries a = replica(index());
    try (OutageProxy proxy = OutageProxy.start("127.0.0.1", 6379)) {
      SemanticIndex bIndex = index();
      SharedSemanticEntries b = replica("redis://127.0.0.1:" + proxy.port(), bIndex);
      SemanticEntry first = entry("e1", "c:alice", 0);
      a.put(first, System.currentTimeMillis());
      await("b to hear of it", () -> finds(b, first));

      int outages = 0;
      SemanticEntry latest = first;
      for (OutageProxy.Mode cut : List.of(OutageProxy.Mode.REFUSE, OutageProxy.Mode.BLACKHOLE)) {
        proxy.mode(cut);
        outages++;
        await("b to step aside (" + cut + ")", () -> !b.inStep());
        assertThat(holds(bIndex, latest)).as("still in its index").isTrue();
        SemanticEntry seen = latest;
        assertThat(finds(b, seen)).as("but not served while out of step").isFalse();
        SemanticEntry dropped = entry("dropped-" + outages, "c:alice", 4);
        b.put(dropped, System.currentTimeMillis());
        assertThat(holds(bIndex, dropped)).as("nor stored").isFalse();

        // Meanwhile another replica removes what b holds and stores something new.
        SemanticEntry next = entry("e-after-" + cut, "c:bob", outages);
        a.put(next, System.currentTimeMillis());
        assertThat(a.invalidateEverywhere(new CacheScope("", "", seen.id())).toCompletableFuture()
            .get(10, TimeUnit.SECONDS)).isEqualTo(1);

        proxy.mode(OutageProxy.Mode.PASS);
        await("b to be back in step after " + cut, b::inStep);
        assertThat(finds(b, next)).as("what was stored meanwhile").isTrue();
        assertThat(holds(bIndex, seen)).as("what was removed meanwhile").isFalse();
        assertThat(bIndex.size()).isEqualTo(1);
        latest = next;
      }
      String endpoint = "127.0.0.1:" + proxy.port();
      List<LogRecord> bLines = records.stream().filter(r -> String.valueOf(r.getParameters()[0]).equals(endpoint)).toList();
      assertThat(bLines).as("one warning per outage, then one line when Redis answers again")
          .extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO, Level.WARNING, Level.INFO);
      assertThat(records).allMatch(r -> r.getThrown() == null);
    }
  }

  @Test
  void aRedisThatRestartsEmptyEmptiesEveryReplica() throws Exception {
    try (PrivateRedisServer redis = PrivateRedisServer.start(dir.resolve("redis"))) {
      SharedSemanticEntries a = replica(redis.url(), index());
      SharedSemanticEntries b = replica(redis.url(), index());
      SemanticEntry e = entry("e1", "c:alice", 0);
      a.put(e, System.currentTimeMillis());
      await("b to hear of it", () -> finds(b, e));

      redis.kill();
      await("both to step aside", () -> !a.inStep() && !b.inStep());
      redis.startAgain();
      await("both to be back in step", () -> a.inStep() && b.inStep());
      assertThat(a.size()).isZero();
      assertThat(b.size()).isZero();
      SemanticEntry fresh = entry("e2", "c:alice", 3);
      b.put(fresh, System.currentTimeMillis());
      await("a to hear of the new one", () -> finds(a, fresh));
    }
  }
}
