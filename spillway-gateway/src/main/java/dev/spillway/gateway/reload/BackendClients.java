package dev.spillway.gateway.reload;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendTls;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.credentials.BackendCredential;
import dev.spillway.gateway.forward.UpstreamClients;
import io.vertx.core.http.HttpClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Each backend's credential and, for a backend with its own TLS settings, its own HTTP client, by backend id. A reload
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
   * @param newTlsClient makes the client of a backend with its own TLS settings
   */
  public static BackendClients of(
      SpillwayConfig config, BackendClients previous, Function<BackendConfig, BackendCredential> newCredential,
      Function<BackendTls, HttpClient> newTlsClient) {
    Map<String, BackendConfig> backends = new HashMap<>();
    Map<String, BackendCredential> credentials = new HashMap<>();
    Map<String, HttpClient> tlsClients = new HashMap<>();
    for (ModelConfig model : config.models().values()) {
      for (BackendConfig b : model.backends()) {
        BackendConfig was = previous.backends.get(b.id());
        backends.put(b.id(), b);
        credentials.put(b.id(), was != null && was.auth().equals(b.auth()) && was.type() == b.type()
            ? previous.credentials.get(b.id()) : newCredential.apply(b));
        if (!b.tls().isDefault()) {
          HttpClient kept = was != null && was.tls().equals(b.tls()) ? previous.tlsClients.get(b.id()) : null;
          tlsClients.put(b.id(), kept != null ? kept : newTlsClient.apply(b.tls()));
        }
      }
    }
    return new BackendClients(backends, credentials, tlsClients);
  }

  /** How the request path reaches these backends, through {@code shared} unless a backend has its own client. */
  public UpstreamClients upstream(HttpClient shared) {
    return new UpstreamClients(shared, tlsClients, b -> credentials.get(b.id()));
  }
}
