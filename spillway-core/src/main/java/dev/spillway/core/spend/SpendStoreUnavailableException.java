package dev.spillway.core.spend;

/**
 * A {@link SpendStore} could not reach its backing store. Spill rights then fail open (PAYG stays allowed and the
 * failure is counted); the message names the store's endpoint and the reason, never a password.
 */
public final class SpendStoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SpendStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
