package dev.spillway.gateway.edge;

import dev.spillway.core.config.TlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;

/**
 * Keeps an HTTPS listener's certificate current: when the PEM certificate or key file changes on
 * disk (a renewed certificate), the listener switches to it for new connections without a restart.
 */
public final class TlsReloader {
  private static final Logger LOG = System.getLogger("spillway.tls");
  private static final long CHECK_EVERY_MILLIS = 5_000;

  private TlsReloader() {}

  public static PemKeyCertOptions pem(TlsConfig tls) {
    return new PemKeyCertOptions().setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString());
  }

  /** Checks the files every few seconds; returns the timer id. */
  public static long watch(Vertx vertx, HttpServer server, TlsConfig tls) {
    FileTime[] seen = {stamp(tls)};
    return vertx.setPeriodic(
        CHECK_EVERY_MILLIS,
        id ->
            vertx.executeBlocking(() -> stamp(tls), false)
                .onSuccess(
                    now -> {
                      if (now != null && !now.equals(seen[0])) {
                        seen[0] = now;
                        server
                            // force: the options name the same paths, only the files' content changed
                            .updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(pem(tls)), true)
                            .onSuccess(v -> LOG.log(Level.INFO, "tls certificate reloaded from " + tls.certFile()))
                            .onFailure(e -> LOG.log(Level.WARNING, "tls certificate reload failed, keeping the old one: " + e.getMessage()));
                      }
                    }));
  }

  private static FileTime stamp(TlsConfig tls) {
    try {
      FileTime cert = Files.getLastModifiedTime(tls.certFile());
      FileTime key = Files.getLastModifiedTime(tls.keyFile());
      return cert.compareTo(key) >= 0 ? cert : key;
    } catch (IOException e) {
      return null;
    }
  }
}
