package dev.spillway.core.api;

import static dev.spillway.core.api.RouteTable.GET;
import static dev.spillway.core.api.RouteTable.GET_OR_DELETE;
import static dev.spillway.core.api.RouteTable.GET_OR_POST;
import static dev.spillway.core.api.RouteTable.POST;
import static dev.spillway.core.api.RouteTable.decoded;
import static dev.spillway.core.api.RouteTable.found;
import static dev.spillway.core.api.RouteTable.restrict;

import java.util.Optional;
import java.util.Set;

/**
 * The routes of stored objects below an API base, for {@link RouteTable}: files, batches, uploads and vector stores.
 * They live on the resource, not on a deployment, so every URL shape matches them alike (Azure's classic shape has
 * them at {@code /openai/files?api-version=...}). Pure.
 */
final class StoredObjectRoutes {
  /** The methods a call below a vector store may use. */
  private static final Set<String> ANY = Set.of("GET", "HEAD", "POST", "DELETE");

  private StoredObjectRoutes() {}

  /**
   * The files and batches APIs below a base: {@code files} (upload, list), {@code files/{id}} (retrieve, delete),
   * {@code files/{id}/content}, {@code batches} (create, list), {@code batches/{id}} and {@code batches/{id}/cancel}.
   * Null when {@code suffix} is neither collection's.
   */
  static RouteMatch match(String method, RouteShape shape, String suffix) {
    if (!firstSegmentIs(suffix, "files") && !firstSegmentIs(suffix, "batches") && !firstSegmentIs(suffix, "uploads")
        && !firstSegmentIs(suffix, "vector_stores")) {
      return null; // every chat request passes here: answered without splitting its path
    }
    String[] parts = suffix.split("/", -1);
    if (parts[0].equals("uploads")) {
      return uploads(method, shape, parts);
    }
    if (parts[0].equals("vector_stores")) {
      return vectorStores(method, shape, suffix, parts);
    }
    boolean files = parts[0].equals("files");
    if (!files && !parts[0].equals("batches")) {
      return null;
    }
    if (parts.length == 1) {
      return switch (method) {
        case "GET", "HEAD" -> found(shape, files ? Operation.FILES_LIST : Operation.BATCHES_LIST);
        case "POST" -> found(shape, files ? Operation.FILES_CREATE : Operation.BATCHES_CREATE);
        default -> new RouteMatch.WrongMethod(GET_OR_POST);
      };
    }
    Optional<String> id = parts[1].isEmpty() ? Optional.empty() : decoded(parts[1]);
    if (id.isEmpty() || parts.length > 3) {
      return new RouteMatch.NotFound();
    }
    if (parts.length == 2) {
      if (!files) {
        return restrict(method, GET, new ApiRoute(shape, Operation.BATCHES_GET, id));
      }
      return switch (method) {
        case "GET", "HEAD" -> new RouteMatch.Found(new ApiRoute(shape, Operation.FILES_GET, id));
        case "DELETE" -> new RouteMatch.Found(new ApiRoute(shape, Operation.FILES_DELETE, id));
        default -> new RouteMatch.WrongMethod(GET_OR_DELETE);
      };
    }
    if (files && parts[2].equals("content")) {
      return restrict(method, GET, new ApiRoute(shape, Operation.FILES_CONTENT, id));
    }
    if (!files && parts[2].equals("cancel")) {
      return restrict(method, POST, new ApiRoute(shape, Operation.BATCHES_CANCEL, id));
    }
    return new RouteMatch.NotFound();
  }

  private static boolean firstSegmentIs(String suffix, String segment) {
    return suffix.startsWith(segment) && (suffix.length() == segment.length() || suffix.charAt(segment.length()) == '/');
  }

  /** The Uploads API: {@code uploads} (create), {@code uploads/{id}/parts}, {@code .../complete}, {@code .../cancel}.
   */
  private static RouteMatch uploads(String method, RouteShape shape, String[] parts) {
    if (parts.length == 1) {
      return restrict(method, POST, new ApiRoute(shape, Operation.UPLOADS_CREATE, Optional.empty()));
    }
    Optional<String> id = parts[1].isEmpty() ? Optional.empty() : decoded(parts[1]);
    if (id.isEmpty() || parts.length != 3) {
      return new RouteMatch.NotFound();
    }
    Operation op = switch (parts[2]) {
      case "parts" -> Operation.UPLOADS_PARTS;
      case "complete" -> Operation.UPLOADS_COMPLETE;
      case "cancel" -> Operation.UPLOADS_CANCEL;
      default -> null;
    };
    return op == null ? new RouteMatch.NotFound() : restrict(method, POST, new ApiRoute(shape, op, id));
  }

  /**
   * Vector stores: {@code vector_stores} (create, list), {@code vector_stores/{id}} (retrieve, update, delete), and
   * anything below one ({@code files}, {@code file_batches}, {@code search}, ...) as one call on the store, its
   * sub-path passed on as it is when every segment is a plain name.
   */
  private static RouteMatch vectorStores(String method, RouteShape shape, String suffix, String[] parts) {
    if (parts.length == 1) {
      return switch (method) {
        case "GET", "HEAD" -> found(shape, Operation.VECTOR_STORES_LIST);
        case "POST" -> found(shape, Operation.VECTOR_STORES_CREATE);
        default -> new RouteMatch.WrongMethod(GET_OR_POST);
      };
    }
    Optional<String> id = parts[1].isEmpty() ? Optional.empty() : decoded(parts[1]);
    if (id.isEmpty()) {
      return new RouteMatch.NotFound();
    }
    if (parts.length == 2) {
      return switch (method) {
        case "GET", "HEAD" -> new RouteMatch.Found(new ApiRoute(shape, Operation.VECTOR_STORES_GET, id));
        case "POST" -> new RouteMatch.Found(new ApiRoute(shape, Operation.VECTOR_STORES_MODIFY, id));
        case "DELETE" -> new RouteMatch.Found(new ApiRoute(shape, Operation.VECTOR_STORES_DELETE, id));
        default -> new RouteMatch.WrongMethod(ANY);
      };
    }
    String rest = suffix.substring(parts[0].length() + parts[1].length() + 2);
    for (int i = 2; i < parts.length; i++) {
      if (!plainName(parts[i])) {
        return new RouteMatch.NotFound();
      }
    }
    if (!ANY.contains(method)) {
      return new RouteMatch.WrongMethod(ANY);
    }
    return new RouteMatch.Found(new ApiRoute(shape, Operation.VECTOR_STORES_CALL, id, rest));
  }

  /** A path segment passed on as it is: letters, digits, {@code -}, {@code _} and {@code .}, but not {@code ..}. */
  private static boolean plainName(String segment) {
    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }
}
