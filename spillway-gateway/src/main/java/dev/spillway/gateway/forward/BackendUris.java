package dev.spillway.gateway.forward;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.forward.dialect.Dialect;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Where each backend takes each operation that is not on a stored object: host, port, TLS and path with query, worked
 * out once per backend configuration. Building the absolute URL and having Vert.x parse it back ({@code
 * RequestOptions.setAbsoluteURI}: a {@code java.net.URL} per call) cost every request about 0.8 KiB and a URL parse;
 * the parts are the same for every request to that backend.
 *
 * <p>Thread-safe. Keyed by backend id; a reloaded backend (a new {@link BackendConfig} instance) replaces its entry on
 * first use, so the map holds one entry per backend id the gateway has had.
 */
final class BackendUris {
  private static final ConcurrentHashMap<String, PerBackend> BY_ID = new ConcurrentHashMap<>();
  private static final Operation[] OPERATIONS = Operation.values();

  private BackendUris() {}

  /** What {@code setAbsoluteURI} would set on a request for {@code operation} to {@code backend}. */
  private record Target(String host, Integer port, Boolean ssl, String uri) {}

  private record PerBackend(BackendConfig config, AtomicReferenceArray<Target> byOperation) {}

  /**
   * Sets the URL of {@code operation} (not one {@linkplain Operation#onObject() on an object}) on {@code backend} into
   * {@code options}: the same as {@code options.setAbsoluteURI(dialect.uri(backend, operation))}.
   */
  static RequestOptions target(RequestOptions options, Dialect dialect, BackendConfig backend, Operation operation) {
    PerBackend entry = BY_ID.get(backend.id());
    if (entry == null || entry.config() != backend) {
      entry = new PerBackend(backend, new AtomicReferenceArray<>(OPERATIONS.length));
      BY_ID.put(backend.id(), entry);
    }
    Target target = entry.byOperation().get(operation.ordinal());
    if (target == null) {
      RequestOptions parsed = new RequestOptions().setAbsoluteURI(dialect.uri(backend, operation));
      target = new Target(parsed.getHost(), parsed.getPort(), parsed.isSsl(), parsed.getURI());
      entry.byOperation().set(operation.ordinal(), target);
    }
    return options.setHost(target.host()).setPort(target.port()).setSsl(target.ssl()).setURI(target.uri());
  }
}
