package dev.spillway.gateway.forward;

import dev.spillway.core.config.BackendTls;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/** The HTTP client options for a backend with a client certificate or a private CA. */
public final class BackendTlsOptions {
  private BackendTlsOptions() {}

  public static HttpClientOptions clientOptions(BackendTls tls) {
    HttpClientOptions options =
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false).setVerifyHost(true);
    if (tls.certFile().isPresent()) {
      options.setKeyCertOptions(
          new PemKeyCertOptions()
              .setCertPath(tls.certFile().get().toString())
              .setKeyPath(tls.keyFile().orElseThrow().toString()));
    }
    tls.caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    return options;
  }
}
