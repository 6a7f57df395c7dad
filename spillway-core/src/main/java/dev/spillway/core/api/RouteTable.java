package dev.spillway.core.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Maps an inbound method and path to an {@link ApiRoute}: OpenAI {@code /v1/...}, Azure classic
 * {@code /openai/deployments/{deployment}/...} and Azure v1 {@code /openai/v1/...}, plus the
 * gateway's own probes. Pure and allocation-light; safe from any thread.
 */
public final class RouteTable {
  static final Set<String> POST = Set.of("POST");
  static final Set<String> GET = Set.of("GET", "HEAD");
  /** A WebSocket upgrade is a GET; HEAD would not upgrade. */
  private static final Set<String> GET_ONLY = Set.of("GET");
  static final Set<String> GET_OR_DELETE = Set.of("GET", "HEAD", "DELETE");
  private static final String AZURE_DEPLOYMENTS = "/openai/deployments/";
  private static final String AZURE_RESPONSES = "/openai/responses";
  static final Set<String> GET_OR_POST = Set.of("GET", "HEAD", "POST");

  private RouteTable() {}

  /**
   * @param method HTTP method, upper case
   * @param path the raw path without query string
   */
  public static RouteMatch match(String method, String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/healthz")) {
      return restrict(method, GET, new ApiRoute(RouteShape.GATEWAY, Operation.HEALTHZ, Optional.empty()));
    }
    if (p.equals("/readyz")) {
      return restrict(method, GET, new ApiRoute(RouteShape.GATEWAY, Operation.READYZ, Optional.empty()));
    }
    if (p.equals("/metrics")) {
      return restrict(method, GET, new ApiRoute(RouteShape.GATEWAY, Operation.METRICS, Optional.empty()));
    }
    if (p.equals("/dashboard") || p.startsWith("/dashboard/")) {
      String resource = p.length() > "/dashboard/".length() ? p.substring("/dashboard/".length()) : "";
      return restrict(method, GET, new ApiRoute(RouteShape.GATEWAY, Operation.DASHBOARD, Optional.of(resource)));
    }
    if (p.startsWith("/admin/")) {
      return admin(method, p.substring("/admin/".length()));
    }
    if (p.startsWith("/v1/")) {
      return underBase(method, RouteShape.OPENAI, p.substring("/v1/".length()));
    }
    if (p.equals("/openai/realtime")) {
      // Azure's realtime before v1: /openai/realtime?api-version=...&deployment=...
      return restrict(method, GET_ONLY, new ApiRoute(RouteShape.AZURE_V1, Operation.REALTIME, Optional.empty()));
    }
    if (p.equals(AZURE_RESPONSES) || p.startsWith(AZURE_RESPONSES + "/")) {
      // Azure's Responses API before v1: /openai/responses?api-version=..., the deployment named by the body's model.
      return responses(method, RouteShape.AZURE_V1, p.substring("/openai/".length()));
    }
    if (p.startsWith("/openai/files") || p.startsWith("/openai/batches") || p.startsWith("/openai/uploads")
        || p.startsWith("/openai/vector_stores")) {
      // Azure's files and batches before v1 live on the resource: /openai/files?api-version=...
      RouteMatch stored = StoredObjectRoutes.match(method, RouteShape.AZURE_V1, p.substring("/openai/".length()));
      if (stored != null) {
        return stored;
      }
    }
    if (p.startsWith("/openai/v1/")) {
      return underBase(method, RouteShape.AZURE_V1, p.substring("/openai/v1/".length()));
    }
    if (p.startsWith(AZURE_DEPLOYMENTS)) {
      String rest = p.substring(AZURE_DEPLOYMENTS.length());
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        return new RouteMatch.NotFound();
      }
      Optional<String> deployment = decoded(rest.substring(0, slash));
      Operation op = proxiedOperation(rest.substring(slash + 1));
      if (op == null || deployment.isEmpty()) {
        return new RouteMatch.NotFound();
      }
      return restrict(method, POST, new ApiRoute(RouteShape.AZURE_CLASSIC, op, deployment));
    }
    return new RouteMatch.NotFound();
  }

  private static RouteMatch underBase(String method, RouteShape shape, String suffix) {
    if (suffix.equals("models")) {
      return restrict(method, GET, new ApiRoute(shape, Operation.LIST_MODELS, Optional.empty()));
    }
    if (suffix.startsWith("models/") && suffix.indexOf('/', "models/".length()) < 0) {
      Optional<String> id = decoded(suffix.substring("models/".length()));
      return id.isEmpty()
          ? new RouteMatch.NotFound()
          : restrict(method, GET, new ApiRoute(shape, Operation.GET_MODEL, id));
    }
    if (suffix.equals("responses") || suffix.startsWith("responses/")) {
      return responses(method, shape, suffix);
    }
    RouteMatch stored = StoredObjectRoutes.match(method, shape, suffix);
    if (stored != null) {
      return stored;
    }
    if (suffix.equals("moderations")) {
      // OpenAI's route only: Azure has no moderations deployment, so the classic shape does not serve it
      return restrict(method, POST, new ApiRoute(shape, Operation.MODERATIONS, Optional.empty()));
    }
    if (suffix.equals("realtime")) {
      return restrict(method, GET_ONLY, new ApiRoute(shape, Operation.REALTIME, Optional.empty()));
    }
    Operation op = proxiedOperation(suffix);
    if (op == null) {
      return new RouteMatch.NotFound();
    }
    return restrict(method, POST, new ApiRoute(shape, op, Optional.empty()));
  }

  /**
   * The Responses API below a base: {@code responses} (create), {@code responses/{id}} (retrieve, delete), {@code
   * responses/{id}/input_items} and {@code responses/{id}/cancel}; the path parameter is the response id.
   */
  private static RouteMatch responses(String method, RouteShape shape, String suffix) {
    if (suffix.equals("responses")) {
      return restrict(method, POST, new ApiRoute(shape, Operation.RESPONSES, Optional.empty()));
    }
    String[] parts = suffix.split("/", -1);
    Optional<String> id = parts.length > 1 && !parts[1].isEmpty() ? decoded(parts[1]) : Optional.empty();
    if (id.isEmpty() || parts.length > 3) {
      return new RouteMatch.NotFound();
    }
    if (parts.length == 2) {
      return switch (method) {
        case "GET", "HEAD" -> new RouteMatch.Found(new ApiRoute(shape, Operation.RESPONSES_GET, id));
        case "DELETE" -> new RouteMatch.Found(new ApiRoute(shape, Operation.RESPONSES_DELETE, id));
        default -> new RouteMatch.WrongMethod(GET_OR_DELETE);
      };
    }
    return switch (parts[2]) {
      case "input_items" -> restrict(method, GET, new ApiRoute(shape, Operation.RESPONSES_INPUT_ITEMS, id));
      case "cancel" -> restrict(method, POST, new ApiRoute(shape, Operation.RESPONSES_CANCEL, id));
      default -> new RouteMatch.NotFound();
    };
  }

  private static RouteMatch admin(String method, String suffix) {
    if (suffix.equals("backends")) {
      return restrict(method, GET, new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_BACKENDS, Optional.empty()));
    }
    if (suffix.equals("usage")) {
      return restrict(method, GET, new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_USAGE, Optional.empty()));
    }
    if (suffix.equals("cache")) {
      return switch (method) {
        case "GET", "HEAD" -> new RouteMatch.Found(new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_CACHE_STATS, Optional.empty()));
        case "DELETE" -> new RouteMatch.Found(new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_CACHE_INVALIDATE, Optional.empty()));
        default -> new RouteMatch.WrongMethod(GET_OR_DELETE);
      };
    }
    if (suffix.equals("consumers")) {
      return restrict(method, GET, new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_CONSUMERS, Optional.empty()));
    }
    if (suffix.equals("safety")) {
      return restrict(method, GET, new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_SAFETY, Optional.empty()));
    }
    if (suffix.equals("reload")) {
      return restrict(method, POST, new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_RELOAD, Optional.empty()));
    }
    if (suffix.equals("safety/lift")) {
      return restrict(method, POST, new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_SAFETY_LIFT, Optional.empty()));
    }
    String[] parts = suffix.split("/", -1);
    Optional<String> id = parts.length > 1 && !parts[1].isEmpty() ? decoded(parts[1]) : Optional.empty();
    if (id.isEmpty()) {
      return new RouteMatch.NotFound();
    }
    if (parts.length == 2 && parts[0].equals("consumers")) {
      return switch (method) {
        case "PUT" -> new RouteMatch.Found(new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_PUT_CONSUMER, id));
        case "DELETE" -> new RouteMatch.Found(new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_DELETE_CONSUMER, id));
        default -> new RouteMatch.WrongMethod(Set.of("PUT", "DELETE"));
      };
    }
    if (parts.length == 3 && parts[0].equals("consumers") && parts[2].equals("keys")) {
      return restrict(method, POST, new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_CREATE_KEY, id));
    }
    if (parts.length == 3 && parts[0].equals("keys") && parts[2].equals("revoke")) {
      return restrict(method, POST, new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_REVOKE_KEY, id));
    }
    if (parts.length != 3 || !parts[0].equals("backends")) {
      return new RouteMatch.NotFound();
    }
    Operation op =
        switch (parts[2]) {
          case "force-open" -> Operation.ADMIN_FORCE_OPEN;
          case "disable" -> Operation.ADMIN_DISABLE;
          case "reset" -> Operation.ADMIN_RESET;
          default -> null;
        };
    if (op == null) {
      return new RouteMatch.NotFound();
    }
    return restrict(method, POST, new ApiRoute(RouteShape.ADMIN, op, id));
  }

  /**
   * A path name percent-decoded, or empty when it holds a broken escape ({@code %}, {@code %4}, {@code %zz}): no
   * route is named by such a path, so it is not found, rather than an exception that left the client unanswered.
   */
  static Optional<String> decoded(String raw) {
    try {
      return Optional.of(URLDecoder.decode(raw, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Operation proxiedOperation(String suffix) {
    return switch (suffix) {
      case "chat/completions" -> Operation.CHAT_COMPLETIONS;
      case "completions" -> Operation.COMPLETIONS;
      case "embeddings" -> Operation.EMBEDDINGS;
      // Azure has no deployment-scoped Responses route, but the official Java SDK's legacy Azure mode sends one
      case "responses" -> Operation.RESPONSES;
      case "images/generations" -> Operation.IMAGES_GENERATIONS;
      case "images/edits" -> Operation.IMAGES_EDITS;
      case "images/variations" -> Operation.IMAGES_VARIATIONS;
      case "audio/transcriptions" -> Operation.AUDIO_TRANSCRIPTIONS;
      case "audio/translations" -> Operation.AUDIO_TRANSLATIONS;
      case "audio/speech" -> Operation.AUDIO_SPEECH;
      default -> null;
    };
  }

  static RouteMatch found(RouteShape shape, Operation operation) {
    return new RouteMatch.Found(new ApiRoute(shape, operation, Optional.empty()));
  }

  static RouteMatch restrict(String method, Set<String> allowed, ApiRoute route) {
    return allowed.contains(method) ? new RouteMatch.Found(route) : new RouteMatch.WrongMethod(allowed);
  }
}
