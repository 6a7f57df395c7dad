package dev.spillway.simulator;

/**
 * A client event the simulator refuses: the session answers it with an {@code error} event of type
 * {@code invalid_request_error} and stays open, as the Realtime API does. Carries no stack trace.
 */
final class RealtimeEventException extends RuntimeException {
  private final String code;
  private final String param;

  /**
   * @param code OpenAI's error code, e.g. {@code invalid_event}
   * @param param the offending field, e.g. {@code item.content[0].type}, or null
   */
  RealtimeEventException(String code, String message, String param) {
    super(message, null, false, false);
    this.code = code;
    this.param = param;
  }

  String code() {
    return code;
  }

  /** The offending field, or null. */
  String param() {
    return param;
  }
}
