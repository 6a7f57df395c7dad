package dev.spillway.core.upstream;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where and how one attempt reaches a backend: the URL built from the backend's own deployment or
 * model name, and the credential header. The client's URL never contributes a host or a path
 * segment other than the operation, so nothing in a request can choose the upstream.
 */
public final class UpstreamTarget {
  private UpstreamTarget() {}

  /** The absolute URL for {@code operation} on {@code backend}. */
  public static String uri(BackendConfig backend, Operation operation) {
    String base = stripTrailingSlash(backend.url().toString());
    return switch (backend.type()) {
      case AZURE ->
          base
              + "/openai/deployments/"
              + URLEncoder.encode(backend.deployment(), StandardCharsets.UTF_8)
              + "/"
              + operation.pathSuffix()
              + "?api-version="
              + URLEncoder.encode(backend.apiVersion(), StandardCharsets.UTF_8);
      case OPENAI -> base + "/" + operation.pathSuffix();
    };
  }

  /** Header name carrying the backend's static API key, or empty when it has none. */
  public static Optional<String> authHeaderName(BackendConfig backend) {
    return backend.auth().apiKey().map(key -> apiKeyHeaderName(backend.type()));
  }

  /** Value for {@link #authHeaderName}; never log it. */
  public static Optional<String> authHeaderValue(BackendConfig backend) {
    return backend.auth().apiKey().map(key -> apiKeyHeaderValue(backend.type(), key));
  }

  /** How a backend of {@code type} takes an API key: {@code api-key} for Azure, bearer for OpenAI. */
  public static String apiKeyHeaderName(BackendType type) {
    return type == BackendType.AZURE ? "api-key" : "authorization";
  }

  /** The header value carrying {@code key} for a backend of {@code type}; never log it. */
  public static String apiKeyHeaderValue(BackendType type, String key) {
    return type == BackendType.AZURE ? key : "Bearer " + key;
  }

  /** True when the body's {@code model} must be rewritten to the backend's model name. */
  public static boolean rewritesBodyModel(BackendConfig backend) {
    return backend.type() == BackendType.OPENAI;
  }

  private static String stripTrailingSlash(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }
}
