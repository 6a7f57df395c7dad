package dev.spillway.gateway.forward.dialect;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.gateway.pipeline.RequestContext;

/**
 * How one kind of backend is spoken to: the upstream URL, whether the body's {@code model} becomes the backend's own
 * model name, and whether the gateway may add {@code stream_options.include_usage} to count a stream exactly. The
 * credential header comes from the backend's credential source. One stateless instance per dialect.
 *
 * <p>The client's URL never contributes a host or a path segment other than the operation, so nothing in a request can
 * choose the upstream.
 */
public interface Dialect {

  /** The absolute URL for {@code operation} on {@code backend}. */
  default String uri(BackendConfig backend, Operation operation) {
    return uri(backend, operation, "", "");
  }

  /**
   * The absolute URL for {@code operation} on {@code backend}.
   *
   * @param encodedId the object of an operation {@link Operation#onObject() on an object}, percent-encoded; else empty
   * @param query the client's query parameters for the backend (pagination of a list), encoded; may be empty
   */
  String uri(BackendConfig backend, Operation operation, String encodedId, String query);

  /** True when the body names the model and it must become the backend's deployment or model name. */
  boolean namesModelInBody(Operation operation);

  /** True when the gateway adds {@code stream_options.include_usage} for this request on this backend. */
  boolean injectsStreamUsage(RequestContext ctx, BackendConfig backend);

  /** The dialect of {@code backend}: OpenAI, Azure's v1 API ({@code apiVersion: v1}), or Azure's classic deployments API. */
  static Dialect of(BackendConfig backend) {
    if (backend.type() == BackendType.OPENAI) {
      return ModelInBodyDialect.OPENAI;
    }
    return ModelInBodyDialect.AZURE_V1_VERSION.equals(backend.apiVersion())
        ? ModelInBodyDialect.AZURE_V1
        : AzureClassicDialect.INSTANCE;
  }

  /** {@code url} without trailing slashes. */
  static String base(BackendConfig backend) {
    String s = backend.url().toString();
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }
}
