package dev.spillway.simulator;

/**
 * A request body the simulator refuses with {@code 400}; thrown only while parsing a body and
 * turned into an Azure-shaped response by {@link SimulatorHandler}. Carries no stack trace.
 */
final class InvalidRequestException extends RuntimeException {
  private final String param;

  InvalidRequestException(String message, String param) {
    super(message, null, false, false);
    this.param = param;
  }

  /** The offending request parameter, or null. */
  String param() {
    return param;
  }
}
