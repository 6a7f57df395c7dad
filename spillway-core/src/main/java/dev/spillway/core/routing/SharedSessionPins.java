package dev.spillway.core.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Session affinity across replicas: a session pinned to a backend on one replica is sent to that backend by every
 * replica, while it can take the call.
 *
 * <h2>Design</h2>
 *
 * Routing is synchronous ({@link Router#choose} reads the pool's own pins), and a shared store answers
 * asynchronously. So the pool's pins stay the router's source and this class keeps them in step with the store at the
 * two moments that matter, both at the edge, off the router:
 *
 * <ul>
 *   <li><b>before a request of a session is routed</b>, {@link #recall} reads the session's pin from the store and,
 *       when it names a backend of the pool, pins the session to it locally; the request is routed once that read
 *       completes. The read is one {@code GET} per request of a model with affinity (affinity is opt-in), bounded
 *       by the store's short timeout; a store that is out or slow answers "not found" and the request is routed on
 *       this replica's own pins — an outage costs affinity across replicas, never a request. The store is read every
 *       time, not only when the local pin is missing, because the session may have moved on another replica (its
 *       backend failed there) and the local pin would then split it;
 *   <li><b>when an answer reached the client</b>, {@link #pinned} pins locally and writes the pin to the store (one
 *       write, which also renews its time to live).
 * </ul>
 *
 * The store holds {@link #sessionId} — a SHA-256 of the model and the session key — never the key, which may be
 * personal data; and the backend's shared name, so replicas whose configs give one id to different deployments never
 * follow each other's pins. Without a store ({@link #local}) nothing is read or written.
 *
 * <p>Thread-safe.
 */
public final class SharedSessionPins implements AutoCloseable {
  private final SessionPinStore store;
  private final LongAdder recalled = new LongAdder();
  private final LongAdder written = new LongAdder();

  /** @param store where the pins are shared; {@link SessionPinStore#NONE} to keep them on this replica */
  public SharedSessionPins(SessionPinStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Pins stay on this replica. */
  public static SharedSessionPins local() {
    return new SharedSessionPins(SessionPinStore.NONE);
  }

  /** True when pins are shared with other replicas. */
  public boolean shared() {
    return store != SessionPinStore.NONE;
  }

  /**
   * Reads {@code sessionKey}'s shared pin into {@code pool}'s pins; completes (never exceptionally) once that is done,
   * at once when nothing is shared. A pin naming a backend the pool does not have is ignored.
   */
  public CompletionStage<Void> recall(Pool pool, String sessionKey) {
    if (!shared()) {
      return CompletableFuture.completedFuture(null);
    }
    return store.find(sessionId(pool.name(), sessionKey)).handle((found, error) -> {
      if (found != null && found.isPresent()) {
        for (BackendState b : pool.backends()) {
          if (SharedThrottles.sharedName(b.config()).equals(found.get())) {
            pool.pin(sessionKey, b);
            recalled.increment();
            break;
          }
        }
      }
      return null;
    });
  }

  /** An answer from {@code backend} reached the client: the session is pinned to it, here and in the store. */
  public void pinned(Pool pool, String sessionKey, BackendState backend) {
    pool.pin(sessionKey, backend);
    if (shared()) {
      store.pin(sessionId(pool.name(), sessionKey), SharedThrottles.sharedName(backend.config()));
      written.increment();
    }
  }

  /** Requests whose session's pin was found in the store (naming a backend of their pool) since start. */
  public long recalled() {
    return recalled.sum();
  }

  /** Pins handed to the store since start (one per answer of a session, while shared). */
  public long written() {
    return written.sum();
  }

  /**
   * The id a session is stored under: the hex SHA-256 of its model and key. Replicas agree on it; the key cannot be
   * read back from it (a guessable key — a user's e-mail, say — could be confirmed by someone who can read the store,
   * as with any unsalted hash; use random session ids).
   */
  public static String sessionId(String model, String sessionKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((model + "\n" + sessionKey).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Stops sharing: the store's connection closes. */
  @Override
  public void close() {
    store.close();
  }
}
