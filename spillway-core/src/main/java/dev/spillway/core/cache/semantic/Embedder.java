package dev.spillway.core.cache.semantic;

import java.util.List;

/**
 * Turns a question into the vector the semantic layer compares: a model in the process, or an embeddings model called
 * through the gateway. Vectors are unit length, so their dot product is their cosine similarity. Implementations are
 * thread-safe; {@link #embed} may block (it runs off the event loop) and loads its model on first use.
 */
public interface Embedder {

  /** Names the embedder and its model; part of every semantic partition, so vectors of two embedders never meet. */
  String id();

  /** The length of every vector. */
  int dimensions();

  /** The unit-length vector of {@code text}. */
  float[] embed(String text);

  /** The vectors of {@code texts}, in order; an implementation may batch them. */
  default List<float[]> embedAll(List<String> texts) {
    return texts.stream().map(this::embed).toList();
  }
}
