package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredResponsesTest {
  private static StoredResponses.Stored stored(String id) {
    return new StoredResponses.Stored(id, "d", JsonNodeFactory.instance.objectNode().put("id", id), List.of(), 1);
  }

  @Test
  void keepsOnlyTheMostRecentCapacity() {
    StoredResponses store = new StoredResponses(2);
    store.put(stored("a"));
    store.put(stored("b"));
    store.put(stored("c"));

    assertThat(store.size()).isEqualTo(2);
    assertThat(store.get("a")).isEmpty();
    assertThat(store.get("b")).isPresent();
    assertThat(store.get("c").orElseThrow().response().path("id").asText()).isEqualTo("c");
  }

  @Test
  void removeForgetsOnce() {
    StoredResponses store = new StoredResponses(StoredResponses.DEFAULT_CAPACITY);
    store.put(stored("a"));
    assertThat(store.remove("a")).isTrue();
    assertThat(store.remove("a")).isFalse();
    assertThat(store.get("a")).isEmpty();
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new StoredResponses(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
