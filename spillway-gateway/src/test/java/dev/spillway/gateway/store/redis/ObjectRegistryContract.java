package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.objects.ObjectKind;
import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.core.objects.OwnedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectRegistry} guarantees; each registry's test extends this class.
 *
 * <p>Time is a fake clock passed as {@code now}, far from the machine's: registries judge expiry by the caller's
 * {@code now} and the object's {@code createdEpochMillis}, so no test sleeps. Every test uses owners and ids of its
 * own. Like {@code LimitStoreContract}, it lives in the gateway module, which sees both registries.
 */
abstract class ObjectRegistryContract {
  /** Monday 2025-03-10 12:00:00 UTC. */
  static final long T0 = Instant.parse("2025-03-10T12:00:00Z").toEpochMilli();
  static final Duration TTL = Duration.ofHours(1);
  static final long TTL_MILLIS = TTL.toMillis();

  private ObjectRegistry registry;
  private String scope;

  /** An empty registry forgetting objects {@code ttl} after their creation; called before every test. */
  protected abstract ObjectRegistry newRegistry(Duration ttl);

  /** Puts per thread in the concurrency test. */
  protected int putsPerThread() {
    return 100;
  }

  @BeforeEach
  void setUpRegistry() {
    registry = newRegistry(TTL);
    scope = UUID.randomUUID().toString().substring(0, 8);
  }

  // ---- helpers -------------------------------------------------------------------------------------

  /** An owner name private to this test. */
  String owner(String name) {
    return "consumer-" + name + "-" + scope;
  }

  String id(String name) {
    return "resp_" + scope + "_" + name;
  }

  OwnedObject response(String name, String owner, long created) {
    return new OwnedObject(id(name), ObjectKind.RESPONSE, owner, "gpt-4o", "ptu-eastus", created);
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("registry call failed", e);
    }
  }

  void put(OwnedObject object, long now) {
    await(registry.put(object, now));
  }

  Optional<OwnedObject> get(String id, long now) {
    return await(registry.get(id, now));
  }

  List<String> listIds(String owner, ObjectKind kind, int limit, long now) {
    return await(registry.list(owner, kind, limit, now)).stream().map(OwnedObject::id).toList();
  }

  // ---- put, get, remove ----------------------------------------------------------------------------

  @Test
  void whatIsPutIsWhatIsGot() {
    OwnedObject response = response("a", owner("app"), T0);
    OwnedObject file = new OwnedObject("file-" + scope, ObjectKind.FILE, owner("app"), "", "payg-eastus", T0 + 5);
    OwnedObject store =
        new OwnedObject("vs_" + scope, ObjectKind.VECTOR_STORE, "team:retail/app " + scope, "", "payg-sweden", T0 + 9);
    put(response, T0);
    put(file, T0 + 5);
    put(store, T0 + 9);

    assertThat(get(response.id(), T0 + 10)).contains(response);
    assertThat(get(file.id(), T0 + 10)).contains(file);
    assertThat(get(store.id(), T0 + 10)).contains(store);
  }

  @Test
  void anUnknownIdIsEmpty() {
    assertThat(get(id("never-put"), T0)).isEmpty();
    put(response("a", owner("app"), T0), T0);
    assertThat(get(id("a") + "x", T0)).isEmpty();
    assertThat(get(id("A"), T0)).as("ids are case-sensitive").isEmpty();
  }

  @Test
  void aPutReplacesTheRecordUnderItsId() {
    put(response("a", owner("app"), T0), T0);
    OwnedObject moved = new OwnedObject(id("a"), ObjectKind.RESPONSE, owner("app"), "gpt-4o-mini", "payg-sweden", T0 + 7);
    put(moved, T0 + 7);

    assertThat(get(id("a"), T0 + 8)).contains(moved);
    assertThat(await(registry.list(owner("app"), ObjectKind.RESPONSE, 10, T0 + 8))).containsExactly(moved);
  }

  @Test
  void replacingWithAnotherOwnerOrKindMovesItBetweenListings() {
    put(response("a", owner("first"), T0), T0);
    OwnedObject taken = new OwnedObject(id("a"), ObjectKind.BATCH, owner("second"), "gpt-4o", "ptu-eastus", T0 + 1);
    put(taken, T0 + 1);

    assertThat(listIds(owner("first"), ObjectKind.RESPONSE, 10, T0 + 2)).isEmpty();
    assertThat(listIds(owner("second"), ObjectKind.RESPONSE, 10, T0 + 2)).isEmpty();
    assertThat(listIds(owner("second"), ObjectKind.BATCH, 10, T0 + 2)).containsExactly(id("a"));
    assertThat(get(id("a"), T0 + 2)).contains(taken);
  }

  @Test
  void removeForgetsAnObjectAndIgnoresUnknownIds() {
    put(response("a", owner("app"), T0), T0);
    put(response("b", owner("app"), T0 + 1), T0 + 1);

    await(registry.remove(id("a")));
    await(registry.remove(id("a")));
    await(registry.remove(id("never-put")));

    assertThat(get(id("a"), T0 + 2)).isEmpty();
    assertThat(get(id("b"), T0 + 2)).isPresent();
    assertThat(listIds(owner("app"), ObjectKind.RESPONSE, 10, T0 + 2)).containsExactly(id("b"));
  }

  // ---- the TTL -------------------------------------------------------------------------------------

  @Test
  void anObjectIsForgottenItsTtlAfterItsCreation() {
    put(response("a", owner("app"), T0), T0);
    assertThat(get(id("a"), T0 + TTL_MILLIS - 1)).isPresent();
    assertThat(get(id("a"), T0 + TTL_MILLIS)).isEmpty();
    assertThat(listIds(owner("app"), ObjectKind.RESPONSE, 10, T0 + TTL_MILLIS)).isEmpty();
  }

  @Test
  void theTtlCountsFromCreationNotFromThePut() {
    put(response("late", owner("app"), T0), T0 + TTL_MILLIS / 2); // recorded half a TTL after it was made
    assertThat(get(id("late"), T0 + TTL_MILLIS - 1)).isPresent();
    assertThat(get(id("late"), T0 + TTL_MILLIS)).isEmpty();
  }

  @Test
  void anObjectPutAfterItsTtlIsNotRecordedAndTakesItsOldRecordAlong() {
    put(response("a", owner("app"), T0 + 10), T0 + 10);
    put(response("a", owner("app"), T0 - TTL_MILLIS), T0 + 10);
    assertThat(get(id("a"), T0 + 10)).isEmpty();
    assertThat(listIds(owner("app"), ObjectKind.RESPONSE, 10, T0 + 10)).isEmpty();
  }

  @Test
  void listingsLeaveOutExpiredObjectsButKeepTheLiveOnes() {
    String app = owner("app");
    put(response("old", app, T0), T0);
    put(response("mid", app, T0 + TTL_MILLIS / 2), T0 + TTL_MILLIS / 2);
    put(response("new", app, T0 + TTL_MILLIS), T0 + TTL_MILLIS);

    assertThat(listIds(app, ObjectKind.RESPONSE, 10, T0 + TTL_MILLIS)).containsExactly(id("new"), id("mid"));
    assertThat(listIds(app, ObjectKind.RESPONSE, 10, T0 + TTL_MILLIS + TTL_MILLIS / 2)).containsExactly(id("new"));
    assertThat(get(id("old"), T0 + TTL_MILLIS)).isEmpty();
    assertThat(get(id("new"), T0 + TTL_MILLIS + TTL_MILLIS / 2)).isPresent();
  }

  // ---- listing -------------------------------------------------------------------------------------

  @Test
  void aListingHoldsTheOwnersObjectsOfThatKindNewestFirstUpToTheLimit() {
    String app = owner("app");
    for (int i = 0; i < 7; i++) {
      // put out of order: listings follow creation time, not put order
      int n = (i * 3) % 7;
      put(response("r" + n, app, T0 + n * 1_000L), T0 + 10_000);
    }
    put(new OwnedObject("file-" + scope, ObjectKind.FILE, app, "", "payg-eastus", T0 + 50_000), T0 + 10_000);
    put(response("other", owner("other"), T0 + 60_000), T0 + 10_000);

    List<String> newestFirst = List.of(id("r6"), id("r5"), id("r4"), id("r3"), id("r2"), id("r1"), id("r0"));
    assertThat(listIds(app, ObjectKind.RESPONSE, 100, T0 + 10_000)).containsExactlyElementsOf(newestFirst);
    assertThat(listIds(app, ObjectKind.RESPONSE, 3, T0 + 10_000)).containsExactlyElementsOf(newestFirst.subList(0, 3));
    assertThat(listIds(app, ObjectKind.RESPONSE, 1, T0 + 10_000)).containsExactly(id("r6"));
    assertThat(listIds(app, ObjectKind.FILE, 100, T0 + 10_000)).containsExactly("file-" + scope);
    assertThat(listIds(app, ObjectKind.BATCH, 100, T0 + 10_000)).isEmpty();
    assertThat(listIds(owner("nobody"), ObjectKind.RESPONSE, 100, T0 + 10_000)).isEmpty();
  }

  @Test
  void aListingSkipsRemovedObjectsAndStillFillsItsLimit() {
    String app = owner("app");
    for (int i = 0; i < 6; i++) {
      put(response("r" + i, app, T0 + i), T0 + 10);
    }
    await(registry.remove(id("r5")));
    await(registry.remove(id("r3")));
    assertThat(listIds(app, ObjectKind.RESPONSE, 3, T0 + 10)).containsExactly(id("r4"), id("r2"), id("r1"));
  }

  @Test
  void listedObjectsCarryEverythingThatWasPut() {
    OwnedObject file = new OwnedObject("file-" + scope, ObjectKind.FILE, owner("app"), "", "payg-eastus", T0);
    OwnedObject upload = new OwnedObject("upload_" + scope, ObjectKind.UPLOAD, owner("app"), "gpt-4o", "ptu-2", T0);
    put(file, T0);
    put(upload, T0);
    assertThat(await(registry.list(owner("app"), ObjectKind.FILE, 5, T0 + 1))).containsExactly(file);
    assertThat(await(registry.list(owner("app"), ObjectKind.UPLOAD, 5, T0 + 1))).containsExactly(upload);
  }

  @Test
  void twoOwnersNeverSeeEachOthersObjects() {
    String alice = owner("alice");
    String bob = owner("bob");
    // Owner names that are prefixes of each other must not share an index either.
    String bobby = owner("bob") + "by";
    for (int i = 0; i < 5; i++) {
      put(response("alice" + i, alice, T0 + i), T0 + 10);
      put(response("bob" + i, bob, T0 + i), T0 + 10);
      put(response("bobby" + i, bobby, T0 + i), T0 + 10);
    }
    assertThat(listIds(alice, ObjectKind.RESPONSE, 100, T0 + 10)).hasSize(5).allMatch(id -> id.contains("_alice"));
    assertThat(listIds(bob, ObjectKind.RESPONSE, 100, T0 + 10)).hasSize(5).allMatch(id -> id.contains("_bob") && !id.contains("bobby"));
    assertThat(listIds(bobby, ObjectKind.RESPONSE, 100, T0 + 10)).hasSize(5).allMatch(id -> id.contains("_bobby"));
    // get answers for any owner; the record names the owner, and the ownership check is the caller's.
    assertThat(get(id("bob0"), T0 + 10)).map(OwnedObject::owner).contains(bob);
  }

  // ---- arguments and concurrency -------------------------------------------------------------------

  // ---- claims --------------------------------------------------------------------------------------

  @Test
  void onlyTheFirstClaimOfATokenWins() {
    String token = "batch-usage:" + id("out");
    assertThat(await(registry.claim(token, T0))).isTrue();
    assertThat(await(registry.claim(token, T0 + 1))).isFalse();
    assertThat(await(registry.claim(token + "-other", T0 + 1))).isTrue();
    assertThat(get(token, T0 + 1)).as("a claim is not an object").isEmpty();
    assertThat(listIds(owner("app"), ObjectKind.FILE, 10, T0 + 1)).isEmpty();
  }

  @Test
  void concurrentClaimsOfOneTokenHaveOneWinner() throws Exception {
    String token = "batch-usage:" + id("race");
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        claims.add(threads.submit(() -> await(registry.claim(token, T0))));
      }
      long winners = 0;
      for (Future<Boolean> claim : claims) {
        winners += claim.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void invalidArgumentsThrowAtOnce() {
    assertThatThrownBy(() -> registry.list(owner("app"), ObjectKind.RESPONSE, 0, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.put(null, T0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.get(null, T0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.remove(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.list(null, ObjectKind.RESPONSE, 1, T0)).isInstanceOf(NullPointerException.class);
  }

  static final int THREADS = 8;

  @Test
  void concurrentPutsFromSeveralThreadsAreAllKept() throws Exception {
    String app = owner("app");
    int perThread = putsPerThread();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          start.await();
          List<CompletableFuture<Void>> puts = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            long created = T0 + thread * (long) perThread + i;
            // every other object under a second owner, so the same indexes are written from every thread
            String who = i % 2 == 0 ? app : owner("app2");
            puts.add(registry.put(response(thread + "-" + i, who, created), T0).toCompletableFuture());
          }
          CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int total = THREADS * perThread;
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(get(id(t + "-" + i), T0)).as("object %d-%d", t, i).isPresent();
      }
    }
    Set<String> listed = new HashSet<>(listIds(app, ObjectKind.RESPONSE, total, T0));
    listed.addAll(listIds(owner("app2"), ObjectKind.RESPONSE, total, T0));
    assertThat(listed).hasSize(total);
    List<String> newestFirst = listIds(app, ObjectKind.RESPONSE, total, T0);
    assertThat(newestFirst).hasSize(total / 2).first().isEqualTo(id((THREADS - 1) + "-" + (perThread - 2)));
  }
}
