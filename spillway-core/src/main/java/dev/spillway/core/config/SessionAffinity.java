package dev.spillway.core.config;

import java.util.Objects;

/**
 * Opt-in stickiness for stateful APIs: requests carrying the same value of a header or cookie go to
 * the same backend while it is available.
 *
 * @param source where the session key is read
 * @param name the header or cookie name
 */
public record SessionAffinity(Source source, String name) {
  public enum Source {
    HEADER,
    COOKIE
  }

  public SessionAffinity {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("session affinity needs a header or cookie name");
    }
  }
}
