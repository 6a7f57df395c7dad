package dev.spillway.core.routing.station;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where replicas tell each other the drain rates they learned ({@code SharedDrainRates}): per PTU deployment (its
 * shared name), each replica's latest {@link DrainEstimate}.
 *
 * <p>The contract every implementation keeps (checked by the contract test each one passes):
 *
 * <ul>
 *   <li>an estimate published by one member is read by every member, under the publishing replica's id;
 *   <li>a replica's later estimate replaces its earlier one; other replicas' estimates stay;
 *   <li>a deployment nothing was published for reads as an empty map;
 *   <li>{@link #publish} returns at once and never throws; {@link #read} never completes exceptionally (a store that
 *       cannot be reached reads as empty), so a replica that cannot share learns alone.
 * </ul>
 *
 * Estimates that are too old are the reader's to ignore ({@link DrainSharing#FRESH_MILLIS}); a store may drop them
 * after a while.
 */
public interface DrainRateStore extends AutoCloseable {

  /** Nothing shared. */
  DrainRateStore NONE = new DrainRateStore() {
    @Override
    public void publish(String backend, String replica, DrainEstimate estimate) {}

    @Override
    public CompletionStage<Map<String, DrainEstimate>> read(String backend) {
      return CompletableFuture.completedFuture(Map.of());
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "DrainRateStore.NONE";
    }
  };

  /** {@code replica}'s estimate of {@code backend}; returns at once. */
  void publish(String backend, String replica, DrainEstimate estimate);

  /** Every replica's latest estimate of {@code backend}, by replica id. */
  CompletionStage<Map<String, DrainEstimate>> read(String backend);

  @Override
  void close();
}
