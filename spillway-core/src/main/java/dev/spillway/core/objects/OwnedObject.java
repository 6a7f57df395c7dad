package dev.spillway.core.objects;

import java.util.Objects;

/**
 * One object id the gateway handed out, with who may use it and where it lives.
 *
 * @param id the id the client sees (for example {@code resp_...}); not blank
 * @param kind what sort of object it is
 * @param owner the consumer id of the caller that created it; only that caller may read, list or delete it. Not blank
 * @param model the logical model it was made for; empty where the kind has none (a file, a vector store)
 * @param backendId the id of the backend that holds it: later calls on this id must go there. Not blank
 * @param createdEpochMillis when it was made; the registry's TTL counts from here and listings are newest first by
 *     it. Not negative
 */
public record OwnedObject(
    String id, ObjectKind kind, String owner, String model, String backendId, long createdEpochMillis) {
  public OwnedObject {
    requireNonBlank(id, "id");
    Objects.requireNonNull(kind, "kind");
    requireNonBlank(owner, "owner");
    Objects.requireNonNull(model, "model");
    requireNonBlank(backendId, "backendId");
    if (createdEpochMillis < 0) {
      throw new IllegalArgumentException("createdEpochMillis must be >= 0, got " + createdEpochMillis);
    }
  }

  private static void requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
