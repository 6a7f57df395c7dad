package dev.spillway.core.error;

/**
 * A shared store (consumers and gateway keys in a database) cannot be reached right now: the connection was refused,
 * broke, or none could be had in time. Nothing was changed. Distinct from a store that answered but refused (a bad
 * row, a bug), so that the edge can tell a client to come back later ({@link GatewayError#storeUnavailable}) instead
 * of reporting an internal error. The message names the store and its address, never a password.
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when {@code failure} or one of its causes is a {@code StoreUnavailableException}. */
  public static boolean isCauseOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StoreUnavailableException) {
        return true;
      }
    }
    return false;
  }
}
