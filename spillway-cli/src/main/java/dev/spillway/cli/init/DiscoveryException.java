package dev.spillway.cli.init;

/**
 * Discovery could not read a resource: unreachable, refused, or answered something unexpected. The message names the
 * URL (without query) and what went wrong, never a key or token.
 */
public final class DiscoveryException extends IllegalStateException {
  public DiscoveryException(String message) {
    super(message);
  }

  public DiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
