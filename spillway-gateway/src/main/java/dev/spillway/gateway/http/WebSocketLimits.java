package dev.spillway.gateway.http;

/** Bounds of the WebSocket connections a realtime session is made of, on the client's side and the backend's. */
public final class WebSocketLimits {
  /**
   * The largest message either side may send (16 MiB): a {@code response.done} carries the response's whole output,
   * and audio arrives base64-encoded.
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private WebSocketLimits() {}
}
