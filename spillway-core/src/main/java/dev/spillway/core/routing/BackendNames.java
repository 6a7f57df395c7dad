package dev.spillway.core.routing;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names replicas know a backend by when they share {@link BackendFact}s. Replicas with one config agree on them;
 * gateways that share a Redis but call different deployments under one id do not, so a fact about one is never applied
 * to the other.
 *
 * <p>The auth name adds a fingerprint of the credential settings: the first 48 bits of a SHA-256 over the kind of
 * credential and its settings (the key, the key file's path, the client id and secret, the identity). A replica whose
 * credential was fixed computes another name and so ignores a refusal learned with the old one. The fingerprint is a
 * one-way digest cut to 12 hex digits: it cannot give back a key, and neither a key nor any other secret is ever part of
 * a name. Pure.
 */
final class BackendNames {
  private BackendNames() {}

  /** {@code id@} and 12 hex digits of the SHA-256 of type, URL and deployment. */
  static String shared(BackendConfig backend) {
    return backend.id() + "@" + digest(backend.type() + "\n" + backend.url() + "\n" + backend.deployment());
  }

  /** The shared name, {@code ~}, and 12 hex digits of the digest of the credential settings. */
  static String auth(BackendConfig backend) {
    return shared(backend) + "~" + digest("spillway backend credential\n" + settings(backend.auth()));
  }

  private static String settings(BackendAuth auth) {
    if (auth.apiKey().isPresent()) {
      return "apiKey\n" + auth.apiKey().get();
    }
    if (auth.apiKeyFile().isPresent()) {
      return "apiKeyFile\n" + auth.apiKeyFile().get();
    }
    if (auth.entra().isPresent()) {
      var e = auth.entra().get();
      return "entra\n" + e.tokenUrl() + "\n" + e.clientId() + "\n" + e.clientSecret() + "\n" + e.scope();
    }
    // An identity's settings hold no secret (a client id, a token file, a certificate's path); its text names them.
    return auth.identity().map(i -> "identity\n" + i).orElse("none");
  }

  private static String digest(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
