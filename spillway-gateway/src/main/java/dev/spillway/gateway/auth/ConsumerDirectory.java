package dev.spillway.gateway.auth;

import dev.spillway.core.config.ConsumerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every consumer the gateway knows: those of the config file (read-only) and those added through
 * the admin API, which live in a {@link ConsumerStore} (a JSON file beside the key store by default,
 * a database table that replicas share when configured) so they survive a restart.
 *
 * <p>Reads are lock-free (an immutable snapshot in a volatile field); writes are serialized and
 * stored before they become visible. {@link #refreshIfChanged()} catches up with writes made
 * through other replicas. Writes and refreshes do I/O: call them off the event loop.
 */
public final class ConsumerDirectory {

  /** Why a change was refused. */
  public enum Refusal {
    DEFINED_IN_CONFIG,
    NOT_FOUND
  }

  private volatile List<ConsumerConfig> configured;
  private final ConsumerStore store;
  private volatile Map<String, ConsumerConfig> added;
  private long seenVersion; // guarded by this

  /**
   * @param configured the consumers of the config file
   * @param file where consumers added through the admin API are kept; empty = in memory only
   */
  public ConsumerDirectory(List<ConsumerConfig> configured, Optional<Path> file) {
    this(configured, new FileConsumerStore(file));
  }

  /**
   * @param configured the consumers of the config file
   * @param store where consumers added through the admin API are kept; read once here
   */
  public ConsumerDirectory(List<ConsumerConfig> configured, ConsumerStore store) {
    this.configured = List.copyOf(configured);
    this.store = store;
    synchronized (this) {
      publish(store.read());
    }
  }

  /** The config file's consumers after a config reload; those added through the admin API stay. */
  public synchronized void reconfigure(List<ConsumerConfig> configured) {
    this.configured = List.copyOf(configured);
  }

  public List<ConsumerConfig> all() {
    List<ConsumerConfig> all = new ArrayList<>(configured);
    all.addAll(added.values());
    return all;
  }

  public boolean isConfigured(String id) {
    return configured.stream().anyMatch(c -> c.id().equals(id));
  }

  public Optional<ConsumerConfig> find(String id) {
    for (ConsumerConfig c : configured) {
      if (c.id().equals(id)) {
        return Optional.of(c);
      }
    }
    return Optional.ofNullable(added.get(id));
  }

  /** The consumer one of whose {@code jwtSubjects} is among {@code claimValues}. */
  public Optional<ConsumerConfig> byJwtSubject(List<String> claimValues) {
    for (ConsumerConfig c : all()) {
      for (String value : claimValues) {
        if (c.jwtSubjects().contains(value)) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  /** Adds or replaces a consumer added through the admin API. */
  public synchronized Optional<Refusal> put(ConsumerConfig consumer) {
    if (isConfigured(consumer.id())) {
      return Optional.of(Refusal.DEFINED_IN_CONFIG);
    }
    publish(store.put(consumer));
    return Optional.empty();
  }

  public synchronized Optional<Refusal> remove(String id) {
    if (isConfigured(id)) {
      return Optional.of(Refusal.DEFINED_IN_CONFIG);
    }
    Optional<ConsumerStore.Snapshot> after = store.remove(id);
    if (after.isEmpty()) {
      return Optional.of(Refusal.NOT_FOUND);
    }
    publish(after.get());
    return Optional.empty();
  }

  /**
   * Re-reads the store when its version moved since this directory last read or wrote it (another replica wrote).
   * Cheap when nothing changed. Call it on a timer, off the event loop.
   *
   * @return true when the consumers were re-read
   */
  public boolean refreshIfChanged() {
    long version = store.version();
    synchronized (this) {
      if (version == seenVersion) {
        return false;
      }
      publish(store.read());
      return true;
    }
  }

  private void publish(ConsumerStore.Snapshot snapshot) {
    Map<String, ConsumerConfig> byId = new LinkedHashMap<>();
    for (ConsumerConfig c : snapshot.consumers()) {
      byId.put(c.id(), c);
    }
    added = Collections.unmodifiableMap(byId);
    seenVersion = snapshot.version();
  }
}
