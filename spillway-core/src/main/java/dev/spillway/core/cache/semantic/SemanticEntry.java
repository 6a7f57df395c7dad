package dev.spillway.core.cache.semantic;

import dev.spillway.core.cache.CachedAnswer;
import java.util.Objects;

/**
 * One answer in the semantic layer: the question it answered (for the lexical guards), its vector, its partition, and
 * the answer itself (whose key is this entry's id, and whose tenant, model and expiry are the entry's).
 */
public record SemanticEntry(String partition, String question, float[] vector, CachedAnswer answer) {
  public SemanticEntry {
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(answer, "answer");
  }

  public String id() {
    return answer.key();
  }

  /** The bytes it holds: its answer, its vector and its question. */
  public long weight() {
    return answer.weight() + 4L * vector.length + 2L * question.length() + 2L * partition.length();
  }
}
