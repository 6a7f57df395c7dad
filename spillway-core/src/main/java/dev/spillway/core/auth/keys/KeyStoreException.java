package dev.spillway.core.auth.keys;

/**
 * The key store cannot be read or written: I/O failure or a file that is not a valid key file.
 * Messages name the file and the problem, never a secret (the file holds none).
 */
public final class KeyStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyStoreException(String message) {
    super(message);
  }

  public KeyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
