package dev.spillway.core.cache;

import java.util.Objects;
import java.util.Optional;

/**
 * The semantic layer's embedder when it is not the in-process model: an embeddings {@code model} of the gateway's own
 * {@code models}, called through the gateway itself (so it is routed like any caller's request: PTU first, spilling to
 * PAYG), as {@code consumer} (whose limits and ledger rows the calls use; none on a gateway without consumers).
 *
 * <pre>
 * cache:
 *   semantic:
 *     embeddingsModel: text-embedding-3-small
 *     embeddingsConsumer: semantic-cache
 * </pre>
 */
public record RoutedEmbedding(String model, Optional<String> consumer) {
  public RoutedEmbedding {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(consumer, "consumer");
  }
}
