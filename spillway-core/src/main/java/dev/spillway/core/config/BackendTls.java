package dev.spillway.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS settings towards one backend: a client certificate for mutual TLS, and a CA to trust
 * besides the JVM's default ones (for a private CA in front of the backend).
 *
 * @param certFile PEM client certificate chain; together with keyFile or not at all
 * @param keyFile PEM private key of the client certificate
 * @param caFile PEM certificates to trust for the backend's server certificate
 */
public record BackendTls(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile) {
  public static final BackendTls DEFAULT = new BackendTls(Optional.empty(), Optional.empty(), Optional.empty());

  public BackendTls {
    certFile = certFile == null ? Optional.empty() : certFile;
    keyFile = keyFile == null ? Optional.empty() : keyFile;
    caFile = caFile == null ? Optional.empty() : caFile;
    if (certFile.isPresent() != keyFile.isPresent()) {
      throw new IllegalArgumentException("a client certificate needs both certFile and keyFile");
    }
  }

  /** True when nothing differs from plain TLS with the JVM's trust store. */
  public boolean isDefault() {
    return certFile.isEmpty() && caFile.isEmpty();
  }
}
