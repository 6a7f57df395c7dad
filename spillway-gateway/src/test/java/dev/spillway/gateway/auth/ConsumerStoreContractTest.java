package dev.spillway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.PriorityClass;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ConsumerStore} must have; each implementation's test extends this. */
abstract class ConsumerStoreContractTest {

  /** A fresh, empty store. */
  abstract ConsumerStore newStore();

  /** Another instance on the storage of the last {@link #newStore()} (a restart, or another replica). */
  abstract ConsumerStore reopen();

  static ConsumerConfig consumer(String id, String team) {
    return ConsumerConfig.builder().id(id).team(team).models(List.of("gpt-*")).priorityClass(PriorityClass.BATCH)
        .jwtSubjects(List.of("sub-" + id)).build();
  }

  @Test
  void putAddsInOrderAndTheSnapshotSaysSo() {
    ConsumerStore store = newStore();
    assertThat(store.read().consumers()).isEmpty();

    store.put(consumer("a", "t1"));
    ConsumerStore.Snapshot after = store.put(consumer("b", "t2"));

    assertThat(after.consumers()).extracting(ConsumerConfig::id).containsExactly("a", "b");
    assertThat(store.read()).isEqualTo(after);
    assertThat(store.version()).isEqualTo(after.version());
  }

  @Test
  void putReplacesInPlaceWithEveryField() {
    ConsumerStore store = newStore();
    store.put(consumer("a", "t1"));
    store.put(consumer("b", "t1"));
    ConsumerConfig replaced = ConsumerConfig.builder().id("a").team("t9").models(List.of("gpt-4o", "text-*"))
        .priorityClass(PriorityClass.CRITICAL).build();

    ConsumerStore.Snapshot after = store.put(replaced);

    assertThat(after.consumers()).extracting(ConsumerConfig::id).containsExactly("a", "b");
    ConsumerConfig read = after.consumers().getFirst();
    assertThat(read.team()).isEqualTo("t9");
    assertThat(read.models()).containsExactly("gpt-4o", "text-*");
    assertThat(read.priorityClass()).isEqualTo(PriorityClass.CRITICAL);
    assertThat(read.jwtSubjects()).isEmpty();
  }

  @Test
  void removeDropsTheConsumerAndAnUnknownOneChangesNothing() {
    ConsumerStore store = newStore();
    store.put(consumer("a", "t1"));
    store.put(consumer("b", "t1"));
    long before = store.version();

    assertThat(store.remove("nobody")).isEmpty();
    assertThat(store.version()).isEqualTo(before);

    Optional<ConsumerStore.Snapshot> after = store.remove("a");
    assertThat(after).isPresent();
    assertThat(after.get().consumers()).extracting(ConsumerConfig::id).containsExactly("b");
    assertThat(after.get().version()).isGreaterThan(before);
    assertThat(store.read().consumers()).extracting(ConsumerConfig::id).containsExactly("b");
  }

  @Test
  void everyWriteIncreasesTheVersion() {
    ConsumerStore store = newStore();
    long v0 = store.version();
    long v1 = store.put(consumer("a", "t1")).version();
    long v2 = store.put(consumer("a", "t2")).version();
    long v3 = store.remove("a").orElseThrow().version();
    assertThat(v1).isGreaterThan(v0);
    assertThat(v2).isGreaterThan(v1);
    assertThat(v3).isGreaterThan(v2);
  }

  @Test
  void writesAreDurableForAnotherInstance() {
    ConsumerStore store = newStore();
    store.put(consumer("a", "t1"));
    store.put(consumer("b", "t2"));
    store.remove("a");

    ConsumerStore other = reopen();
    assertThat(other.read().consumers()).containsExactly(consumer("b", "t2"));
  }

  @Test
  void aDirectoryOverTheStoreRefusesConfiguredIdsAndFollowsTheStore() {
    ConsumerConfig configured = consumer("from-config", "t0");
    ConsumerDirectory directory = new ConsumerDirectory(List.of(configured), newStore());
    assertThat(directory.put(consumer("from-config", "t1"))).contains(ConsumerDirectory.Refusal.DEFINED_IN_CONFIG);
    assertThat(directory.remove("nobody")).contains(ConsumerDirectory.Refusal.NOT_FOUND);
    assertThat(directory.put(consumer("api", "t1"))).isEmpty();
    assertThat(directory.all()).extracting(ConsumerConfig::id).containsExactly("from-config", "api");
    assertThat(directory.byJwtSubject(List.of("sub-api"))).contains(consumer("api", "t1"));
    assertThat(directory.refreshIfChanged()).as("its own write is not news").isFalse();
    assertThat(directory.remove("api")).isEmpty();
    assertThat(directory.find("api")).isEmpty();
  }
}
