package dev.spillway.gateway.reload;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.credentials.BackendCredential;
import dev.spillway.gateway.forward.UpstreamClients;
import dev.spillway.gateway.forward.UpstreamHttpOptions;
import io.vertx.core.http.HttpClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Each backend's credential and, for a backend with its own TLS settings or HTTP/2, its own HTTP client, by backend id. A reload
 * keeps a backend's credential (its cached token) while its {@code auth} is unchanged, and its client while its {@code
 * tls} is unchanged; other backends get new ones. A client no generation uses any more stays open until the gateway
 * closes, since requests of an older generation may still be on it.
 *
 * @param backends the config each entry was made for
 * @param credentials backend id to its credential
 * @param tlsClients backend id to its own client (backends with default TLS use the shared client)
 */
public record BackendClients(
    Map<String, BackendConfig> backends, Map<String, BackendCredential> credentials, Map<String, HttpClient> tlsClients) {
  public static final BackendClients NONE = new BackendClients(Map.of(), Map.of(), Map.of());

  public BackendClients {
    backends = Map.copyOf(backends);
    credentials = Map.copyOf(credentials);
    tlsClients = Map.copyOf(tlsClients);
  }

  /**
   * The clients of {@code config}'s backends, reusing those of {@code previous} that still fit.
   *
   * @param newCredential makes a backend's credential
   * @param newTlsClient makes the own client of a backend with its own TLS settings or HTTP/2
   */
  public static BackendClients of(
      SpillwayConfig config, BackendClients previous, Function<BackendConfig, BackendCredential> newCredential,
      Function<BackendConfig, HttpClient> newTlsClient) {
    Map<String, BackendConfig> backends = new HashMap<>();
    Map<String, BackendCredential> credentials = new HashMap<>();
    Map<String, HttpClient> tlsClients = new HashMap<>();
    for (ModelConfig model : config.models().values()) {
      for (BackendConfig b : model.backends()) {
        BackendConfig was = previous.backends.get(b.id());
        backends.put(b.id(), b);
        credentials.put(b.id(), was != null && was.auth().equals(b.auth()) && was.type() == b.type()
            ? previous.credentials.get(b.id()) : newCredential.apply(b));
        if (UpstreamHttpOptions.needsOwnClient(b)) {
          HttpClient kept = was != null && sameClient(was, b) ? previous.tlsClients.get(b.id()) : null;
          tlsClients.put(b.id(), kept != null ? kept : newTlsClient.apply(b));
        }
      }
    }
    return new BackendClients(backends, credentials, tlsClients);
  }

  /** Whether a backend's own client still fits: the same TLS settings, HTTP/2 choice and scheme. */
  private static boolean sameClient(BackendConfig was, BackendConfig now) {
    return was.tls().equals(now.tls()) && was.http2() == now.http2()
        && was.url().getScheme().equalsIgnoreCase(now.url().getScheme());
  }

  /** How the request path reaches these backends, through {@code shared} unless a backend has its own client. */
  public UpstreamClients upstream(HttpClient shared) {
    return new UpstreamClients(shared, tlsClients, b -> credentials.get(b.id()));
  }
}
