package dev.spillway.core.objects;

/**
 * An {@link ObjectRegistry} could not reach its backing store, so it cannot say who owns an object. The gateway must
 * then refuse the call (503) rather than guess: answering without the owner check would let any caller reach any
 * other caller's objects. The message names the store and the reason, never a password or a connection string with
 * credentials.
 */
public final class ObjectRegistryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ObjectRegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
