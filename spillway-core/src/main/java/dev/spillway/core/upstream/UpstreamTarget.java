package dev.spillway.core.upstream;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
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

  /** Header name carrying the backend credential, or empty when the backend takes none. */
  public static Optional<String> authHeaderName(BackendConfig backend) {
    if (backend.auth().apiKey().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(backend.type() == dev.spillway.core.config.BackendType.AZURE ? "api-key" : "authorization");
  }

  /** Value for {@link #authHeaderName}; never log it. */
  public static Optional<String> authHeaderValue(BackendConfig backend) {
    return backend.auth().apiKey().map(key -> switch (backend.type()) {
      case AZURE -> key;
      case OPENAI -> "Bearer " + key;
    });
  }

  /** True when the body's {@code model} must be rewritten to the backend's model name. */
  public static boolean rewritesBodyModel(BackendConfig backend) {
    return backend.type() == dev.spillway.core.config.BackendType.OPENAI;
  }

  private static String stripTrailingSlash(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }
}
