package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.spillway.core.routing.BackendFact;
import dev.spillway.core.time.Ticker;
import dev.spillway.simulator.faults.OutageProxy;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the Redis implementation does: the key it keeps per backend (its end, expiring then, only ever extended),
 * and how a member cut off from Redis — its connections reset, or silently dropped — keeps working on its own and,
 * once Redis is back, subscribes again, reads every fact it missed and publishes those it learned meanwhile.
 */
class RedisBackendFactsTest {
  private final Clock clock = Clock.systemUTC();
  private final String prefix = RedisTestSupport.RUN_PREFIX + "facts-" + UUID.randomUUID() + ":";
  private final List<AutoCloseable> open = new ArrayList<>();
  private Vertx vertx;
  private Redis redis;
  private OutageProxy proxy;

  @BeforeEach
  void start() throws Exception {
    RedisTestSupport.requireRedis();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, RedisTestSupport.CONNECTION_STRING);
    proxy = OutageProxy.start("127.0.0.1", java.net.URI.create(RedisTestSupport.CONNECTION_STRING).getPort());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    proxy.close();
    RedisTestSupport.deleteKeys(vertx, RedisKeyScan.glob(prefix) + "*");
    redis.close();
    vertx.close().await();
  }

  private record Member(RedisBackendFacts facts, List<BackendFact> heard) {}

  private Member join(String connectionString, Duration heartbeat) {
    List<BackendFact> heard = new CopyOnWriteArrayList<>();
    RedisBackendFactsOptions options = new RedisBackendFactsOptions(connectionString, prefix, Duration.ofSeconds(2),
        Duration.ofMillis(200), heartbeat);
    RedisBackendFacts facts = RedisBackendFacts.join(vertx, options, heard::add, clock, Ticker.systemTicker());
    open.add(facts);
    return new Member(facts, heard);
  }

  private Member direct() {
    return join(RedisTestSupport.CONNECTION_STRING, Duration.ofSeconds(1));
  }

  private Member throughProxy(Duration heartbeat) {
    return join("redis://127.0.0.1:" + proxy.port(), heartbeat);
  }

  private BackendFact throttled(String backend, long inMillis) {
    return BackendFact.throttled(backend, clock.millis() + inMillis);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  private String get(String key) {
    var value = redis.send(Request.cmd(Command.GET).arg(key)).await();
    return value == null ? null : value.toString();
  }

  private long pttl(String key) {
    return redis.send(Request.cmd(Command.PTTL).arg(key)).await().toLong();
  }

  @Test
  void aBackendsKeyHoldsItsLatestEndAndExpiresThen() throws Exception {
    Member a = direct();
    Member b = direct();
    String key = prefix + "throttle:ptu@aaaaaaaaaaaa";
    BackendFact first = throttled("ptu@aaaaaaaaaaaa", 30_000);
    a.facts().publish(first);
    await("b hears the fact", () -> b.heard().contains(first));
    assertThat(get(key)).isEqualTo(Long.toString(first.untilEpochMillis()));
    assertThat(pttl(key)).isBetween(1L, 30_000L).isGreaterThan(20_000L);

    BackendFact shorter = throttled("ptu@aaaaaaaaaaaa", 5_000);
    a.facts().publish(shorter);
    BackendFact longer = throttled("ptu@aaaaaaaaaaaa", 50_000);
    a.facts().publish(longer);
    await("b hears the longer one", () -> b.heard().contains(longer));
    assertThat(get(key)).isEqualTo(Long.toString(longer.untilEpochMillis()));
    assertThat(pttl(key)).isGreaterThan(40_000L);
    assertThat(b.heard()).as("heard by message and by the load at subscribing: once or twice each")
        .containsOnly(first, longer).doesNotContain(shorter);
  }

  @Test
  void anotherMemberHearsEachFactWithinASecond() throws Exception {
    Member a = direct();
    Member b = direct();
    BackendFact warm = throttled("ptu@ffffffffffff", 60_000);
    a.facts().publish(warm);
    await("b subscribed and heard a first fact", () -> b.heard().contains(warm));
    long[] millis = new long[50];
    for (int i = 0; i < millis.length; i++) {
      BackendFact fact = throttled("ptu@ffffffffffff", 60_000 + i + 1L);
      long sent = System.nanoTime();
      a.facts().publish(fact);
      await("b hears fact " + i, () -> b.heard().contains(fact));
      millis[i] = (System.nanoTime() - sent) / 1_000_000;
    }
    java.util.Arrays.sort(millis);
    System.out.println("RedisBackendFactsTest: publish to heard, 50 facts: median " + millis[25] + " ms, max "
        + millis[49] + " ms");
    assertThat(millis[49]).isLessThan(1_000);
  }

  @Test
  void aMemberWhoseRedisConnectionsAreResetKeepsItsFactsAndCatchesUpOnceRedisIsBack() throws Exception {
    Member a = direct();
    Member b = throughProxy(Duration.ofSeconds(1));
    await("b subscribed", () -> b.facts().subscribed());

    proxy.mode(OutageProxy.Mode.REFUSE);
    await("b lost its subscription", () -> !b.facts().subscribed());
    BackendFact missed = throttled("ptu@bbbbbbbbbbbb", 60_000);
    a.facts().publish(missed);
    BackendFact missedHold = BackendFact.unauthorized("ptu@bbbbbbbbbbbb~0123456789ab", clock.millis() + 60_000);
    a.facts().publish(missedHold);
    BackendFact local = throttled("ptu@cccccccccccc", 60_000);
    assertThatCode(() -> b.facts().publish(local)).doesNotThrowAnyException();
    // Another kind under the same name: kept apart from the throttle while Redis is away, not merged into it.
    BackendFact localHold = BackendFact.unauthorized("ptu@cccccccccccc", clock.millis() + 30_000);
    b.facts().publish(localHold);
    await("b's publish failed or was skipped", () -> b.facts().out());
    assertThat(b.heard()).doesNotContain(missed);
    assertThat(get(prefix + "throttle:ptu@cccccccccccc")).as("b's fact stays with b while Redis is away").isNull();
    assertThat(a.heard()).doesNotContain(local);

    proxy.mode(OutageProxy.Mode.PASS);
    await("b reads what it missed once Redis is back", () -> b.heard().contains(missed));
    await("b reads the auth hold it missed too", () -> b.heard().contains(missedHold));
    await("a hears, late, what b learned while Redis was away", () -> a.heard().contains(local));
    await("and the auth hold b learned", () -> a.heard().contains(localHold));
    assertThat(get(prefix + "throttle:ptu@cccccccccccc")).isEqualTo(Long.toString(local.untilEpochMillis()));
    assertThat(get(prefix + "unauthorized:ptu@cccccccccccc")).isEqualTo(Long.toString(localHold.untilEpochMillis()));
  }

  @Test
  void aSubscriptionThatFallsSilentIsRenewedAndReadsWhatItMissed() throws Exception {
    Member a = direct();
    Member b = throughProxy(Duration.ofMillis(200));
    await("b subscribed", () -> b.facts().subscribed());

    proxy.mode(OutageProxy.Mode.BLACKHOLE);
    BackendFact missed = throttled("ptu@eeeeeeeeeeee", 60_000);
    a.facts().publish(missed);
    await("b notices the silence", () -> !b.facts().subscribed());
    assertThat(b.heard()).doesNotContain(missed);

    proxy.mode(OutageProxy.Mode.PASS);
    await("b reads what it missed once the network heals", () -> b.heard().contains(missed));
  }
}
