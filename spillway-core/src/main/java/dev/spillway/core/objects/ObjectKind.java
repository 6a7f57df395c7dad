package dev.spillway.core.objects;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of stateful OpenAI object the gateway hands out ids for. Each lives on exactly one backend, so the gateway
 * must remember where (and for whom) it was made.
 */
public enum ObjectKind {
  /** A stored response of the Responses API ({@code resp_...}). */
  RESPONSE,
  /** An uploaded file ({@code file-...}). */
  FILE,
  /** A batch job ({@code batch_...}). */
  BATCH,
  /** A vector store ({@code vs_...}). */
  VECTOR_STORE,
  /** A multi-part upload ({@code upload_...}). */
  UPLOAD;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /**
   * The lower-case name, as the OpenAI API spells the type in an object's {@code object} field where it has one
   * ({@code response}, {@code file}, {@code batch}, {@code vector_store}, {@code upload}); stores use it in keys.
   */
  public String wireName() {
    return wireName;
  }

  /** The kind whose {@link #wireName()} is exactly {@code name}; empty for anything else. */
  public static Optional<ObjectKind> fromWireName(String name) {
    for (ObjectKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
