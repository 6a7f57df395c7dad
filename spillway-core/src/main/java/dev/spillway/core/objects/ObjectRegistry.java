package dev.spillway.core.objects;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Who owns each stateful object (stored response, file, batch, vector store, upload) the gateway handed out, and
 * which backend holds it: {@link InMemoryObjectRegistry} for one replica (the default), {@code RedisObjectRegistry} so
 * that every replica finds every object. Every implementation passes the same contract suite ({@code
 * ObjectRegistryContract}).
 *
 * <h2>Design note</h2>
 *
 * <p><b>Why the gateway keeps this.</b> Such an object exists on one backend only, and the gateway reaches that
 * backend with one shared credential. To the backend every caller is the same caller, so without a record of its own
 * the gateway would let anyone who learns (or guesses) an id read, continue or delete another consumer's response or
 * file, and a list call would show everyone's. So the gateway records every id it hands out with its owner (the
 * consumer id), kind, logical model and backend; a call naming an id it does not find for the caller is answered 404
 * (the same answer as for an id that never existed, so ids leak nothing), and a list call answers from here, not from
 * the backend. The record also tells the router which backend a follow-up call must go to.
 *
 * <p><b>The TTL.</b> An object is live from its {@link OwnedObject#createdEpochMillis()} until that plus the
 * registry's TTL (default {@link #DEFAULT_TTL}, 30 days: how long OpenAI keeps a stored response). After that the
 * registry forgets it and the gateway answers 404 for it, whether or not the backend still has it; a TTL shorter than
 * the backend's retention makes objects unreachable early, a longer one only costs space. Expiry is judged against
 * the {@code now} the caller passes, so decisions are functions of (state, now) and tests drive time by hand;
 * implementations may in addition let their backing store drop expired entries on its own clock.
 *
 * <p><b>The bound.</b> A registry may hold a bounded number of entries ({@link InMemoryObjectRegistry} does:
 * {@code maxEntries}). When full it forgets the oldest entry first, and an object forgotten that way becomes
 * unreachable through the gateway (404) although the backend still has it. The bound should therefore exceed what one
 * TTL's traffic creates; evictions are counted so that metrics can show when it does not.
 *
 * <p><b>Contract.</b> Implementations are thread-safe. Stages complete on an implementation-defined thread (an event
 * loop for Redis; do not block in their callbacks); they fail only with {@link ObjectRegistryUnavailableException}
 * when the backing store cannot be reached. Invalid arguments are bugs and throw at once. The ownership check itself
 * is the caller's: {@link #get} answers for any owner.
 */
public interface ObjectRegistry {

  /** How long an object stays known unless configured otherwise: 30 days, as OpenAI keeps stored responses. */
  Duration DEFAULT_TTL = Duration.ofDays(30);

  /**
   * Records {@code object}, replacing whatever was recorded under its id (also when owner or kind differ: the old
   * record is then gone from its owner's listing). It is forgotten once {@code createdEpochMillis + TTL} has passed;
   * an object already past that when put is not recorded (and the id's old record is removed all the same).
   *
   * @param nowEpochMillis the caller's wall clock
   */
  CompletionStage<Void> put(OwnedObject object, long nowEpochMillis);

  /** The object recorded under {@code id}; empty when unknown, removed, expired or evicted. */
  CompletionStage<Optional<OwnedObject>> get(String id, long nowEpochMillis);

  /** Forgets {@code id}; does nothing when it is unknown. */
  CompletionStage<Void> remove(String id);

  /**
   * The live objects of {@code kind} owned by {@code owner}, newest first ({@link OwnedObject#createdEpochMillis()};
   * objects made in the same millisecond come in an unspecified order), at most {@code limit}.
   *
   * @param limit at least 1
   */
  CompletionStage<List<OwnedObject>> list(String owner, ObjectKind kind, int limit, long nowEpochMillis);

  /**
   * True for the first claim of {@code token} within the registry's TTL, false for every later one, whichever replica
   * makes it: what the gateway must do once for an object (book a batch's usage when its output is first read) is
   * done by whoever wins the claim. A claim is kept for the TTL from {@code nowEpochMillis}, and is not an object: it
   * is never listed and {@link #get} does not see it.
   */
  CompletionStage<Boolean> claim(String token, long nowEpochMillis);
}
