package dev.spillway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway calling itself: a credential made at start, held only in this process's memory, that the gateway's own
 * parts present to its listener (the semantic cache's embedder calls an embeddings model through the gateway so that
 * it is routed like any request). It names a configured consumer, whose grants, limits and ledger rows the calls use,
 * or no one on a gateway without consumers. Never written anywhere, never logged; compared in constant time.
 */
public final class InternalCaller {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String token;
  private final byte[] tokenBytes;
  private final Optional<String> consumerId;

  private InternalCaller(String token, Optional<String> consumerId) {
    this.token = token;
    this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
    this.consumerId = Objects.requireNonNull(consumerId, "consumerId");
  }

  /** A new caller with a fresh 256-bit credential, acting as {@code consumerId}. */
  public static InternalCaller create(Optional<String> consumerId) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new InternalCaller("spw-self-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), consumerId);
  }

  /** The credential to present, as a bearer token. For the gateway's own clients only. */
  public String bearer() {
    return token;
  }

  /** Whether {@code credential} is this caller's. */
  public boolean matches(String credential) {
    return MessageDigest.isEqual(tokenBytes, credential.getBytes(StandardCharsets.US_ASCII));
  }

  /** The consumer the calls are made as; empty on a gateway without consumers. */
  public Optional<String> consumerId() {
    return consumerId;
  }

  @Override
  public String toString() {
    return "InternalCaller[" + consumerId.orElse("anonymous") + "]";
  }
}
