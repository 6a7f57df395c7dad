package dev.spillway.gateway.auth;

import dev.spillway.core.config.ConsumerConfig;
import java.util.List;
import java.util.Optional;

/**
 * Where the consumers added through the admin API are kept (those of the config file are not): a JSON file beside
 * the key store ({@link FileConsumerStore}, the default) or a database table several replicas share. A {@link
 * ConsumerDirectory} keeps the latest {@link Snapshot} in memory and asks for a new one after its own writes and, on a
 * timer, when {@link #version()} moved.
 *
 * <p>Contract, pinned by {@code ConsumerStoreContractTest}: a write is durable and visible to {@link #read()} (in any
 * process sharing the store) when it returns; {@link #put} adds a consumer at the end or replaces one in place;
 * every write that changes something increases the version; a snapshot's consumers and version belong together.
 * Every method may block on I/O: call them off the event loop. Failures are unchecked exceptions naming the store,
 * never a secret (consumers hold none).
 */
public interface ConsumerStore {

  /**
   * The stored consumers at one version.
   *
   * @param version increased by every write; equal versions mean equal content
   * @param consumers in the order they were first added
   */
  record Snapshot(long version, List<ConsumerConfig> consumers) {
    public Snapshot {
      consumers = List.copyOf(consumers);
    }
  }

  /** The current version, cheaply. */
  long version();

  /** Every stored consumer with the version they are at. */
  Snapshot read();

  /** Adds {@code consumer}, or replaces the one with its id; answers the content after the write. */
  Snapshot put(ConsumerConfig consumer);

  /** Removes the consumer; answers the content after the write, or empty when there was no such consumer. */
  Optional<Snapshot> remove(String id);
}
