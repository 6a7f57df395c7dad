package dev.spillway.core.cache;

/**
 * A shared cache store (Redis) could not carry out an invalidation: the answers it was asked to remove may still be
 * there. Lookups and stores never fail this way (they miss and drop instead); only an invalidation must not claim a
 * removal that did not happen. The message names the store's host and port, never a password, key or prompt.
 */
public final class CacheUnavailableException extends RuntimeException {
  public CacheUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
