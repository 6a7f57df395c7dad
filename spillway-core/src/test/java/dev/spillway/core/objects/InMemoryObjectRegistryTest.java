package dev.spillway.core.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What only the in-memory registry does: its bound on entries, its eviction count and how it drops expired entries
 * without a timer. The behaviour every registry shares is {@code ObjectRegistryContract}'s, in the gateway's tests.
 */
class InMemoryObjectRegistryTest {
  private static final long T0 = Instant.parse("2025-03-10T12:00:00Z").toEpochMilli();
  private static final Duration TTL = Duration.ofHours(1);

  private static OwnedObject response(String id, String owner, long created) {
    return new OwnedObject(id, ObjectKind.RESPONSE, owner, "gpt-4o", "ptu-eastus", created);
  }

  private static <T> T done(CompletionStage<T> stage) {
    assertThat(stage.toCompletableFuture()).isDone();
    return stage.toCompletableFuture().join();
  }

  private static Optional<OwnedObject> get(InMemoryObjectRegistry registry, String id, long now) {
    return done(registry.get(id, now));
  }

  @Test
  void whenFullTheOldestEntryIsForgottenAndCountedAsAnEviction() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry(TTL, 3);
    for (int i = 1; i <= 3; i++) {
      done(registry.put(response("r" + i, "app", T0 + i), T0 + i));
    }
    assertThat(registry.evictions()).isZero();

    done(registry.put(response("r4", "app", T0 + 4), T0 + 4));

    assertThat(registry.size()).isEqualTo(3);
    assertThat(registry.evictions()).isEqualTo(1);
    assertThat(get(registry, "r1", T0 + 4)).isEmpty();
    assertThat(get(registry, "r2", T0 + 4)).isPresent();
    assertThat(done(registry.list("app", ObjectKind.RESPONSE, 10, T0 + 4)))
        .extracting(OwnedObject::id)
        .containsExactly("r4", "r3", "r2");
  }

  @Test
  void aClaimLastsTheTtlAndClaimsShareTheBound() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry(TTL, 2);
    assertThat(done(registry.claim("a", T0))).isTrue();
    assertThat(done(registry.claim("a", T0 + TTL.toMillis() - 1))).isFalse();
    assertThat(done(registry.claim("a", T0 + TTL.toMillis()))).as("claimable again after the TTL").isTrue();

    long later = T0 + TTL.toMillis();
    assertThat(done(registry.claim("b", later))).isTrue();
    assertThat(done(registry.claim("c", later))).isTrue();
    assertThat(done(registry.claim("b", later))).isFalse();
    assertThat(done(registry.claim("a", later))).as("the oldest claim went for the bound").isTrue();
  }

  @Test
  void theBoundIsOnAgeNotOnPutOrder() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry(TTL, 2);
    done(registry.put(response("new", "app", T0 + 100), T0 + 100));
    done(registry.put(response("old", "app", T0 + 10), T0 + 100));

    // The late-recorded object is the oldest, so it goes first; a newcomer older than all others is itself the one.
    done(registry.put(response("newest", "app", T0 + 200), T0 + 200));
    assertThat(get(registry, "old", T0 + 200)).isEmpty();
    done(registry.put(response("ancient", "app", T0), T0 + 200));
    assertThat(get(registry, "ancient", T0 + 200)).isEmpty();
    assertThat(get(registry, "new", T0 + 200)).isPresent();
    assertThat(get(registry, "newest", T0 + 200)).isPresent();
    assertThat(registry.evictions()).isEqualTo(2);
  }

  @Test
  void replacingAnObjectTakesNoExtraRoom() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry(TTL, 2);
    done(registry.put(response("a", "app", T0), T0));
    done(registry.put(response("b", "app", T0 + 1), T0 + 1));
    for (int i = 0; i < 5; i++) {
      done(registry.put(response("b", "app", T0 + 2 + i), T0 + 2 + i));
    }
    assertThat(registry.size()).isEqualTo(2);
    assertThat(registry.evictions()).isZero();
    assertThat(get(registry, "a", T0 + 10)).isPresent();
  }

  @Test
  void expiredEntriesMakeRoomWithoutCountingAsEvictions() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry(TTL, 2);
    done(registry.put(response("a", "app", T0), T0));
    done(registry.put(response("b", "app", T0 + 1), T0 + 1));

    long later = T0 + TTL.toMillis() + 1;
    done(registry.put(response("c", "app", later), later));
    done(registry.put(response("d", "app", later), later));

    assertThat(registry.evictions()).isZero();
    assertThat(registry.size()).isEqualTo(2);
    assertThat(get(registry, "c", later)).isPresent();
    assertThat(get(registry, "d", later)).isPresent();
  }

  @Test
  void eachPutSweepsUpToTwoExpiredEntriesWithoutAnyoneAskingForThem() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry(TTL, 100);
    for (int i = 0; i < 5; i++) {
      done(registry.put(response("old" + i, "app", T0 + i), T0 + i));
    }
    long later = T0 + TTL.toMillis() + 10;

    done(registry.put(response("x", "other", later), later));
    assertThat(registry.size()).isEqualTo(4); // 5 - 2 swept + 1
    done(registry.put(response("y", "other", later), later));
    assertThat(registry.size()).isEqualTo(3); // 3 - 2 + 1
    done(registry.put(response("z", "other", later), later));
    assertThat(registry.size()).isEqualTo(3); // 1 - 1 + 1: only live ones are left
    assertThat(registry.evictions()).isZero();
  }

  @Test
  void readsDropTheExpiredEntriesTheyMeet() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry(TTL, 100);
    done(registry.put(response("a", "app", T0), T0));
    done(registry.put(response("b", "app", T0 + 1), T0 + 1));
    done(registry.put(response("c", "app", T0 + TTL.toMillis()), T0 + TTL.toMillis()));
    long later = T0 + TTL.toMillis() + 1;

    assertThat(get(registry, "a", later)).isEmpty();
    assertThat(registry.size()).isEqualTo(2);
    assertThat(done(registry.list("app", ObjectKind.RESPONSE, 10, later))).extracting(OwnedObject::id).containsExactly("c");
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void anObjectIsLiveUntilExactlyItsCreationPlusTheTtl() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry(TTL, 10);
    done(registry.put(response("a", "app", T0), T0));
    assertThat(get(registry, "a", T0 + TTL.toMillis() - 1)).isPresent();
    assertThat(get(registry, "a", T0 + TTL.toMillis())).isEmpty();
  }

  @Test
  void defaultsAreThirtyDaysAndAHundredThousandEntries() {
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry();
    assertThat(registry.ttl()).isEqualTo(Duration.ofDays(30)).isEqualTo(ObjectRegistry.DEFAULT_TTL);
    assertThat(registry.maxEntries()).isEqualTo(100_000);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new InMemoryObjectRegistry(Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InMemoryObjectRegistry(TTL, 0)).hasMessageContaining("maxEntries");
    InMemoryObjectRegistry registry = new InMemoryObjectRegistry();
    assertThatThrownBy(() -> registry.list("app", ObjectKind.FILE, 0, T0)).hasMessageContaining("limit");
    assertThatThrownBy(() -> registry.get(null, T0)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void ownedObjectsAreValidated() {
    assertThat(new OwnedObject("file-1", ObjectKind.FILE, "app", "", "payg-eastus", 0).model()).isEmpty();
    assertThatThrownBy(() -> new OwnedObject(" ", ObjectKind.FILE, "app", "", "b", T0)).hasMessageContaining("id");
    assertThatThrownBy(() -> new OwnedObject("f", ObjectKind.FILE, "", "", "b", T0)).hasMessageContaining("owner");
    assertThatThrownBy(() -> new OwnedObject("f", ObjectKind.FILE, "app", "", "", T0)).hasMessageContaining("backendId");
    assertThatThrownBy(() -> new OwnedObject("f", ObjectKind.FILE, "app", null, "b", T0))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new OwnedObject("f", null, "app", "", "b", T0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new OwnedObject("f", ObjectKind.FILE, "app", "", "b", -1))
        .hasMessageContaining("createdEpochMillis");
  }

  @Test
  void kindsHaveLowerCaseWireNames() {
    assertThat(List.of(ObjectKind.values()))
        .extracting(ObjectKind::wireName)
        .containsExactly("response", "file", "batch", "vector_store", "upload");
    for (ObjectKind kind : ObjectKind.values()) {
      assertThat(ObjectKind.fromWireName(kind.wireName())).contains(kind);
    }
    assertThat(ObjectKind.fromWireName("VECTOR_STORE")).isEmpty();
    assertThat(ObjectKind.fromWireName("assistant")).isEmpty();
  }
}
