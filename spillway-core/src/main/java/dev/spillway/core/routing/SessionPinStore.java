package dev.spillway.core.routing;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where gateway replicas keep session pins for one another ({@link SharedSessionPins}): a session, by an opaque id
 * (a hash of its model and key, never the key itself), to the shared name of the backend it is pinned to ({@link
 * SharedThrottles#sharedName}).
 *
 * <p>The contract every implementation keeps (checked by the contract test each one passes):
 *
 * <ul>
 *   <li>a pin written by one member is found by every other member of the same store;
 *   <li>the latest pin of a session wins; a session never pinned is not found;
 *   <li>{@link #find} never completes exceptionally and completes within the store's own timeout: a store that cannot
 *       be reached answers "not found" (the caller routes on what it knows locally);
 *   <li>{@link #pin} returns at once and never throws; a pin the store could not take is lost (the session may move
 *       to another backend on another replica, which only costs it its affinity, never its answer).
 * </ul>
 */
public interface SessionPinStore extends AutoCloseable {

  /** Nothing shared: each replica keeps its own pins (one replica, or no shared store configured). */
  SessionPinStore NONE = new SessionPinStore() {
    @Override
    public CompletionStage<Optional<String>> find(String sessionId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public void pin(String sessionId, String backend) {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "SessionPinStore.NONE";
    }
  };

  /** The backend {@code sessionId} is pinned to, if the store holds a pin for it. */
  CompletionStage<Optional<String>> find(String sessionId);

  /** Pins {@code sessionId} to {@code backend} (a shared name); returns at once. */
  void pin(String sessionId, String backend);

  @Override
  void close();
}
