package dev.spillway.gateway.store.redis;

import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.semantic.SemanticEntry;
import java.util.List;

/**
 * What a replica hears from {@link RedisSemanticEntries}: its subscription starting, entries and invalidations other
 * replicas announce, the load of what Redis holds, and the subscription's loss. Calls come from Vert.x event loops, one
 * at a time in the order heard: hand anything slow to another thread.
 */
public interface SemanticChannelListener {
  /** A subscription holds again: an entry load follows; until {@link #synced} this replica may be behind. */
  void subscribed();

  /** Another replica stored {@code entry}. */
  void added(SemanticEntry entry);

  /** Another replica removed the entries in {@code scope}. */
  void invalidated(CacheScope scope);

  /** A page of the entries Redis held when the subscription started. */
  void loaded(List<SemanticEntry> page);

  /** Every entry has been loaded: from now on announcements keep this replica up to date. */
  void synced();

  /** The subscription is lost: announcements may be missed until the next {@link #subscribed}. */
  void lost();
}
