package dev.spillway.core.routing;

/**
 * Where replicas tell each other {@link BackendFact}s: one replica publishes what it learned, and every replica
 * (itself possibly included) hears it through the listener it gave when it joined. An implementation also hands a
 * replica that joins — or rejoins after losing the connection — every fact that still holds, so a replica that starts
 * late or missed announcements catches up.
 *
 * <p>The contract every implementation keeps (checked by the contract test each one passes):
 *
 * <ul>
 *   <li>a fact published by one member reaches every other member's listener;
 *   <li>a member that joins later hears every fact that still holds, and none that is over;
 *   <li>a fact never shortens one already held for the same backend: what a late member hears is the latest end;
 *   <li>{@link #publish} never blocks and never throws: a store that cannot be reached leaves the fact with the
 *       replica that learned it (routing goes on with local state);
 *   <li>listeners are called one at a time per member, and must not block.
 * </ul>
 *
 * Hearing one's own fact back is allowed: applying a fact only ever extends a throttle, so it is harmless.
 */
public interface SharedBackendFacts extends AutoCloseable {

  /** Nothing shared: every replica keeps what it learns (one replica, or no shared store configured). */
  SharedBackendFacts NONE = new SharedBackendFacts() {
    @Override
    public void publish(BackendFact fact) {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "SharedBackendFacts.NONE";
    }
  };

  /** Tells every member; returns at once. */
  void publish(BackendFact fact);

  /** Leaves: the listener hears nothing more. */
  @Override
  void close();
}
