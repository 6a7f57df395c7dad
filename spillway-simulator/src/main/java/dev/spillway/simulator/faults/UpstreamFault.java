package dev.spillway.simulator.faults;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a {@link FaultyUpstream} misbehaves. Each fault answers a streamed request ({@code "stream": true}) in the shape a
 * stream has (server-sent events) and a plain one in the shape of a JSON completion, so one fault gives the gateway two
 * cases to handle.
 */
public enum UpstreamFault {
  /** {@code 429} with {@code retry-after-ms} and {@code retry-after}, every time: a backend at its quota. */
  RATE_LIMITED("429"),
  /** {@code 500} with an Azure-shaped error body. */
  SERVER_ERROR("500"),
  /** Nothing listens: the port is closed and a connection attempt is refused. Only as a server's fault, not per request. */
  REFUSED("refused"),
  /** Reads the request, then resets the connection (TCP RST) without a byte of answer. */
  RESET_BEFORE_HEADERS("reset-before-headers"),
  /**
   * Sends a {@code 200} head whose {@code content-length} promises more than follows, half of the body, then (100 ms
   * later) resets.
   */
  RESET_MID_BODY("reset-mid-body"),
  /** Sends a chunked {@code 200}, a few chunks (three SSE events for a stream), then (100 ms later) resets. */
  RESET_MID_STREAM("reset-mid-stream"),
  /** Reads the request and never answers; holds the connection until the gateway gives up on it. */
  HANG_BEFORE_HEADERS("hang-before-headers"),
  /** Like {@link #RESET_MID_STREAM}, but falls silent after the chunks instead of resetting. */
  HANG_MID_STREAM("hang-mid-stream"),
  /** Answers with bytes that are not HTTP at all, then closes. */
  GARBAGE("garbage"),
  /** A {@code 200} whose body is not what it claims: non-JSON text as {@code application/json}, non-JSON SSE events. */
  NOT_JSON("not-json"),
  /** Answers every request with a well-formed completion stream ({@code text/event-stream}), asked for or not. */
  SSE_ANSWER("sse-answer"),
  /** A {@code 200} {@code text/html} page, like a proxy's login or error page. */
  HTML("html"),
  /**
   * An answer without end in sight: a plain request gets a JSON object whose {@code content-length} is the configured
   * size (200 MB by default); a stream gets events until the connection is closed.
   */
  ENORMOUS("enormous"),
  /** A well-formed answer whose head comes at once and whose body comes one byte per drip interval. */
  SLOW_DRIP("slow-drip");

  private final String id;

  UpstreamFault(String id) {
    this.id = id;
  }

  /** The fault's name in a deployment path ({@code /openai/deployments/<id>/...}) and in reports. */
  public String id() {
    return id;
  }

  /** The fault whose {@link #id()} equals {@code id}, ignoring case. */
  public static Optional<UpstreamFault> fromId(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equalsIgnoreCase(id)).findFirst();
  }
}
