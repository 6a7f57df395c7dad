package dev.spillway.core.cache.semantic;

import java.util.Optional;

/**
 * The check a semantic hit must also pass: two questions whose vectors are close can still ask different things (a
 * negation, an antonym, another number, another name). Pure and thread-safe.
 */
public interface LexicalGuard {
  /** Lets every pair stand. */
  LexicalGuard NONE = (asked, stored) -> Optional.empty();

  /** Why {@code stored}'s answer must not be given for {@code asked}, or empty when it may. */
  Optional<String> refuse(String asked, String stored);
}
