package dev.spillway.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Responses API's stored responses of one simulator instance, by id, bounded to the most recent
 * {@code capacity} (the oldest is forgotten first). Kept in memory only, and per instance on purpose:
 * another simulator does not know these ids, as another Azure resource or region would not, which is
 * what lets a test see whether a gateway sends {@code GET responses/{id}} or {@code
 * previous_response_id} to the backend that created the response. Thread-safe.
 */
final class StoredResponses {
  /** How many responses a simulator keeps. */
  static final int DEFAULT_CAPACITY = 10_000;

  /**
   * One stored response.
   *
   * @param deployment the deployment that answered it
   * @param response the finished response object. Not to be changed.
   * @param inputItems its input items, each with an {@code id}, in the order sent. Not to be changed.
   * @param conversationTokens its input plus output tokens: what a follow-up naming it reads again
   */
  record Stored(String id, String deployment, ObjectNode response, List<ObjectNode> inputItems,
      long conversationTokens) {
    Stored {
      inputItems = List.copyOf(inputItems);
    }
  }

  private final Map<String, Stored> byId;

  StoredResponses(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.byId = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized void put(Stored response) {
    byId.put(response.id(), response);
  }

  synchronized Optional<Stored> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Forgets {@code id}; false when it was not held. */
  synchronized boolean remove(String id) {
    return byId.remove(id) != null;
  }

  synchronized int size() {
    return byId.size();
  }
}
