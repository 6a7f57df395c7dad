package dev.spillway.core.config;

/**
 * A {@code host:port} to listen on: {@code 127.0.0.1:8080}, {@code 0.0.0.0:443}, {@code
 * localhost:0} (any free port), {@code [::1]:8080}. Shared by the config file and the CLI.
 *
 * @param host the host without IPv6 brackets ({@code ::1}), ready to hand to a server
 * @param port 0..65535; 0 lets the operating system choose
 */
public record ListenAddress(String host, int port) {
  public ListenAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException with a message that does not repeat the text
   */
  public static ListenAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("must be host:port, for example 127.0.0.1:8080");
    }
    String s = text.strip();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("must be [ipv6]:port, for example [::1]:8080");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("must be host:port, for example 127.0.0.1:8080");
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException("an IPv6 host needs brackets, for example [::1]:8080");
      }
    }
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("must be host:port with a non-empty host, for example 0.0.0.0:8080");
    }
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("port must be a number 0..65535");
    }
    int portNumber = Integer.parseInt(port);
    if (portNumber > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    return new ListenAddress(host, portNumber);
  }

  /** {@code host:port}, with brackets around an IPv6 host. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
