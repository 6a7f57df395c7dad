package dev.spillway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConsumerStoreTest extends ConsumerStoreContractTest {
  @TempDir Path dir;
  private int stores;
  private Path file;

  @Override
  ConsumerStore newStore() {
    file = dir.resolve("store-" + (stores++)).resolve("consumers.json");
    return reopen();
  }

  @Override
  ConsumerStore reopen() {
    return new FileConsumerStore(Optional.of(file));
  }

  @Test
  void theFileIsAJsonListOfWhatTheApiSets() throws Exception {
    ConsumerStore store = newStore();
    store.put(consumer("new-app", "marketing"));
    assertThat(Files.readString(file)).contains("\"id\" : \"new-app\"", "\"team\" : \"marketing\"",
        "\"priorityClass\" : \"batch\"", "\"sub-new-app\"");
  }

  @Test
  void withoutAFileConsumersLiveInMemory() {
    ConsumerStore store = new FileConsumerStore(Optional.empty());
    store.put(consumer("a", "t"));
    assertThat(store.read().consumers()).containsExactly(consumer("a", "t"));
    assertThat(new FileConsumerStore(Optional.empty()).read().consumers()).isEmpty();
  }
}
