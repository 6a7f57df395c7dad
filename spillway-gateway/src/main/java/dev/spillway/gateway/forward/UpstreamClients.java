package dev.spillway.gateway.forward;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.credentials.BackendCredential;
import io.vertx.core.http.HttpClient;
import java.util.Map;
import java.util.function.Function;

/**
 * How the gateway reaches its backends: the shared HTTP/1.1 client (a connection pool per backend host), the own
 * clients of backends with a client certificate, extra trust or HTTP/2 ({@link UpstreamHttpOptions}), and each
 * backend's credential. One per gateway; thread-safe.
 *
 * @param shared the upstream HTTP client
 * @param tlsClients backend id to its own client
 * @param credentials each backend's credential provider
 */
public record UpstreamClients(
    HttpClient shared, Map<String, HttpClient> tlsClients, Function<BackendConfig, BackendCredential> credentials) {

  public UpstreamClients {
    tlsClients = Map.copyOf(tlsClients);
  }

  /** The client that reaches {@code backend}: its own when it has special TLS or HTTP/2, else the shared one. */
  public HttpClient clientFor(BackendConfig backend) {
    HttpClient own = tlsClients.get(backend.id());
    return own != null ? own : shared;
  }

  public BackendCredential credential(BackendConfig backend) {
    return credentials.apply(backend);
  }
}
