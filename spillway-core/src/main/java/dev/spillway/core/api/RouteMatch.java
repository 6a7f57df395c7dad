package dev.spillway.core.api;

import java.util.Set;

/** Result of matching a method and path: a route, a path that exists under other methods, or nothing. */
public sealed interface RouteMatch {

  record Found(ApiRoute route) implements RouteMatch {}

  /** The path exists but not for this method; {@code allowed} goes to the {@code Allow} header. */
  record WrongMethod(Set<String> allowed) implements RouteMatch {}

  record NotFound() implements RouteMatch {}
}
