package dev.spillway.core.limits;

/**
 * A {@link LimitStore} configured to fail closed could not reach its backing store, so the request
 * can be neither admitted nor refused on its limits. The edge answers 503. The message names the
 * store and the reason, never a password or a connection string with credentials.
 */
public final class LimitStoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LimitStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
