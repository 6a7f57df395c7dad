package dev.spillway.gateway.store.redis;

import dev.spillway.core.routing.BackendFact;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The text of {@link RedisBackendFacts}'s channel messages, for one sender: a fact is {@code F <origin> <kind> <end
 * ms> <backend>}, a heartbeat {@code H <origin>}. The origin is a random id per sender, so a sender can tell its own
 * messages from others'. Backend names hold no space ({@link BackendFact}), and the name comes last. Immutable.
 */
final class BackendFactMessages {
  private final String origin;

  BackendFactMessages() {
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    this.origin = HexFormat.of().formatHex(id);
  }

  String fact(BackendFact fact) {
    return "F " + origin + " " + fact.kind().name() + " " + fact.untilEpochMillis() + " " + fact.backend();
  }

  String heartbeat() {
    return "H " + origin;
  }

  /** A fact another sender announced; empty for a heartbeat, this sender's own fact, or anything it cannot read. */
  Optional<BackendFact> othersFact(String message) {
    String[] parts = message.split(" ", 5);
    if (parts.length != 5 || !parts[0].equals("F") || parts[1].equals(origin)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BackendFact(parts[4], BackendFact.Kind.valueOf(parts[2]), Long.parseLong(parts[3])));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty(); // a kind a later version adds, or a damaged message
    }
  }
}
