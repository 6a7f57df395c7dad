package dev.spillway.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An HTTPS listener: a PEM certificate chain and its PEM private key, reloaded when they change.
 *
 * @param certFile PEM certificate chain
 * @param keyFile PEM private key (PKCS#8 or PKCS#1)
 */
public record TlsConfig(Path certFile, Path keyFile) {
  public TlsConfig {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }
}
