package dev.spillway.gateway.credentials;

/**
 * A backend credential could not be obtained: the secret file is missing, the token endpoint
 * refused or could not be reached. The message is safe to log and to map to an error response: it
 * names the file or the endpoint and the reason, never a key, a client secret or a token.
 */
public final class CredentialUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CredentialUnavailableException(String message) {
    super(message);
  }

  /** {@code cause} must be an I/O failure whose own message carries no secret. */
  public CredentialUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
