package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.objects.ObjectKind;
import dev.spillway.core.objects.OwnedObject;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis registry's keys as another replica (or an operator with {@code redis-cli}) sees them: one hash per object
 * expiring with its TTL, one sorted set per owner and kind, and what happens to entries the registry did not expect.
 */
class RedisObjectRegistryTest {
  private static final long T0 = Instant.parse("2025-03-10T12:00:00Z").toEpochMilli();
  private static final Duration TTL = Duration.ofHours(1);
  private static final long HOUR = TTL.toMillis();
  /** How far Redis's countdown may have run between a put and its check (generous: the machine is shared). */
  private static final long SLACK = 60_000;
  private static final AtomicInteger REGISTRIES = new AtomicInteger();

  private static Vertx vertx;
  private static Redis redis;
  private String prefix;
  private RedisObjectRegistry registry;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, RedisTestSupport.CONNECTION_STRING);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (vertx != null) {
      RedisTestSupport.deleteRunKeys(vertx);
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @BeforeEach
  void newRegistry() {
    prefix = RedisTestSupport.RUN_PREFIX + "objlayout" + REGISTRIES.incrementAndGet() + ":";
    RedisObjectOptions options =
        RedisObjectOptions.builder().connectionString(RedisTestSupport.CONNECTION_STRING).keyPrefix(prefix).ttl(TTL)
            .commandTimeout(Duration.ofSeconds(5)).build();
    registry = RedisObjectRegistry.using(redis, options, Ticker.systemTicker());
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Response send(Request request) throws Exception {
    return RedisTestSupport.send(redis, request);
  }

  private static OwnedObject response(String id, String owner, long created) {
    return new OwnedObject(id, ObjectKind.RESPONSE, owner, "gpt-4o", "ptu-eastus", created);
  }

  private long pttl(String key) throws Exception {
    return send(Request.cmd(Command.PTTL).arg(key)).toLong();
  }

  private Response score(String index, String id) throws Exception {
    return send(Request.cmd(Command.ZSCORE).arg(index).arg(id));
  }

  private long members(String index) throws Exception {
    return send(Request.cmd(Command.ZCARD).arg(index)).toLong();
  }

  @Test
  void anObjectIsAHashExpiringWithTheTtlLeftAndAMemberOfItsOwnersIndex() throws Exception {
    await(registry.put(
        new OwnedObject("vs_1", ObjectKind.VECTOR_STORE, "search-app", "", "payg-eastus", T0), T0 + 1_000));

    String key = prefix + "id:vs_1";
    Map<String, String> fields = new HashMap<>();
    List<String> names = List.of("kind", "owner", "model", "backend", "created");
    Response values = send(Request.cmd(Command.HMGET).arg(key).arg("kind").arg("owner").arg("model").arg("backend")
        .arg("created"));
    for (int i = 0; i < names.size(); i++) {
      fields.put(names.get(i), values.get(i).toString());
    }
    assertThat(send(Request.cmd(Command.HLEN).arg(key)).toLong()).isEqualTo(5);
    assertThat(fields).containsExactlyInAnyOrderEntriesOf(Map.of(
        "kind", "vector_store", "owner", "search-app", "model", "", "backend", "payg-eastus",
        "created", Long.toString(T0)));
    assertThat(pttl(key)).isBetween(HOUR - 1_000 - SLACK, HOUR - 1_000);

    String index = prefix + "owner:vector_store:search-app";
    assertThat(score(index, "vs_1").toLong()).isEqualTo(T0);
    assertThat(pttl(index)).isBetween(HOUR - 1_000 - SLACK, HOUR - 1_000);
  }

  @Test
  void theIndexLivesAsLongAsItsNewestMember() throws Exception {
    String index = prefix + "owner:response:app";
    await(registry.put(response("resp_a", "app", T0), T0));
    await(registry.put(response("resp_b", "app", T0 + HOUR / 2), T0));
    assertThat(pttl(index)).isBetween(HOUR + HOUR / 2 - SLACK, HOUR + HOUR / 2);

    await(registry.put(response("resp_c", "app", T0 - HOUR / 2), T0)); // older: the index keeps its longer life
    assertThat(pttl(index)).isBetween(HOUR + HOUR / 2 - SLACK, HOUR + HOUR / 2);
    assertThat(pttl(prefix + "id:resp_c")).isBetween(HOUR / 2 - SLACK, HOUR / 2);
  }

  @Test
  void aReplacementUnderAnotherOwnerLeavesTheOldIndex() throws Exception {
    await(registry.put(response("resp_a", "first", T0), T0));
    await(registry.put(new OwnedObject("resp_a", ObjectKind.BATCH, "second", "", "b", T0 + 1), T0 + 1));

    assertThat(score(prefix + "owner:response:first", "resp_a")).isNull();
    assertThat(score(prefix + "owner:batch:second", "resp_a").toLong()).isEqualTo(T0 + 1);
  }

  @Test
  void removeDeletesTheHashAndTheIndexMember() throws Exception {
    await(registry.put(response("resp_a", "app", T0), T0));
    await(registry.remove("resp_a"));

    assertThat(send(Request.cmd(Command.EXISTS).arg(prefix + "id:resp_a").arg(prefix + "owner:response:app")).toLong())
        .isZero();
  }

  @Test
  void aListingDropsExpiredMembersAndOnesWhoseHashIsGone() throws Exception {
    String index = prefix + "owner:response:app";
    await(registry.put(response("resp_old", "app", T0), T0));
    await(registry.put(response("resp_gone", "app", T0 + HOUR / 2), T0 + HOUR / 2));
    await(registry.put(response("resp_new", "app", T0 + HOUR), T0 + HOUR));
    // As if Redis had expired or evicted the hash on its own clock.
    send(Request.cmd(Command.DEL).arg(prefix + "id:resp_gone"));
    assertThat(members(index)).isEqualTo(3);

    assertThat(await(registry.list("app", ObjectKind.RESPONSE, 10, T0 + HOUR)))
        .extracting(OwnedObject::id)
        .containsExactly("resp_new");
    assertThat(members(index)).isEqualTo(1);
  }

  @Test
  void aHashTheRegistryDidNotWriteReadsAsUnknown() throws Exception {
    send(Request.cmd(Command.HSET).arg(prefix + "id:resp_x").arg("kind").arg("assistant").arg("owner").arg("app")
        .arg("model").arg("").arg("backend").arg("b").arg("created").arg(T0));
    send(Request.cmd(Command.HSET).arg(prefix + "id:resp_y").arg("kind").arg("response").arg("owner").arg("app")
        .arg("model").arg("").arg("backend").arg("b").arg("created").arg("yesterday"));
    send(Request.cmd(Command.HSET).arg(prefix + "id:resp_z").arg("owner").arg("app"));

    assertThat(await(registry.get("resp_x", T0))).isEmpty();
    assertThat(await(registry.get("resp_y", T0))).isEmpty();
    assertThat(await(registry.get("resp_z", T0))).isEmpty();
    assertThat(registry.degraded()).isFalse();
  }

  @Test
  void registriesWithOtherPrefixesShareNothing() throws Exception {
    await(registry.put(response("resp_a", "app", T0), T0));
    RedisObjectRegistry other = RedisObjectRegistry.using(
        redis,
        RedisObjectOptions.builder().connectionString(RedisTestSupport.CONNECTION_STRING).keyPrefix(prefix + "other:")
            .ttl(TTL).build(),
        Ticker.systemTicker());
    assertThat(await(other.get("resp_a", T0))).isEmpty();
    assertThat(await(other.list("app", ObjectKind.RESPONSE, 10, T0))).isEmpty();
    assertThat(await(registry.get("resp_a", T0))).isPresent();
  }
}
