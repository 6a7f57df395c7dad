package dev.spillway.gateway.pipeline;

/**
 * The last request stage: takes a request every policy let through and produces its response (the route-and-forward
 * stage sends it to a backend). It reports back through {@link ResponsePhase}: the response head, each streamed
 * chunk, and the end.
 */
public interface Terminal {

  /** Produces the response for {@code ctx}; must call {@link ResponsePhase#finish} exactly once, however it ends. */
  void handle(RequestContext ctx, ResponsePhase response);
}
