package dev.spillway.simulator;

import java.util.Arrays;
import java.util.Optional;

/**
 * A failure the simulator can inject, chosen per request by the {@code x-sim-fault} header or by a
 * deployment's {@link FaultConfig}.
 */
public enum FaultKind {
  /** Answer {@code 500} with an Azure-shaped error body. */
  HTTP_500("500"),
  /** Answer {@code 503} with an Azure-shaped error body. */
  HTTP_503("503"),
  /** Close the connection without sending a response. */
  RESET("reset"),
  /** Read the request and never answer; the client has to time out. */
  HANG("hang"),
  /** Answer {@code 200} with a body that is not JSON. */
  GARBAGE("garbage"),
  /** Serve the request normally but ten times slower (applies even under zero latency). */
  SLOW("slow"),
  /**
   * Start a stream, send the prompt-filter and role events and three content chunks, then close the
   * connection. A non-streamed request gets the same truncated stream.
   */
  MIDSTREAM("midstream"),
  /** Answer {@code 400} with Azure's {@code content_filter} error, as if the prompt had been filtered. */
  CONTENT_FILTER("content_filter");

  private final String id;

  FaultKind(String id) {
    this.id = id;
  }

  /** The name used in the {@code x-sim-fault} header and in YAML ({@code 500}, {@code reset}, ...). */
  public String id() {
    return id;
  }

  /** The kind whose {@link #id()} equals {@code id} (case-insensitive), if any. */
  public static Optional<FaultKind> fromId(String id) {
    return Arrays.stream(values()).filter(k -> k.id.equalsIgnoreCase(id.trim())).findFirst();
  }
}
