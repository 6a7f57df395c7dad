package dev.spillway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.config.TlsConfig;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTPS listener from PEM files: it serves exactly the configured certificate, proxies over
 * TLS, and switches to a renewed certificate on disk for new connections without a restart.
 */
class TlsListenerTest {
  private static final String BACKEND_KEY = "tls-test-backend-key-1b7d";
  /** The reloader checks every 5 s; a renewal must show within three checks. */
  private static final Duration RELOAD_BOUND = Duration.ofSeconds(15);

  private Path dir;
  private Path certFile;
  private Path keyFile;
  private Vertx vertx;
  private Simulator simulator;
  private GatewayServer gateway;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("spillway-tls-test");
    certFile = dir.resolve("tls.crt");
    keyFile = dir.resolve("tls.key");
    vertx = Vertx.vertx();
    simulator =
        Simulator.start(vertx, SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(BACKEND_KEY)
            .deployment(DeploymentConfig.payg("chat", 0, 0)).build()).await();
  }

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close().await();
    }
    simulator.close().await();
    vertx.close().await();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void startGateway() {
    ServerConfig server =
        ServerConfig.builder().host("127.0.0.1").port(0).tls(new TlsConfig(certFile, keyFile)).build();
    BackendConfig backend =
        BackendConfig.builder()
            .id("sim")
            .type(BackendType.AZURE)
            .url(URI.create(simulator.baseUrl()))
            .deployment("chat")
            .auth(BackendAuth.apiKey(BACKEND_KEY))
            .tier(Tier.PAYG)
            .priority(1)
            .region("test")
            .build();
    SpillwayConfig config = SpillwayConfig.builder()
        .server(server)
        .routing(RoutingConfig.DEFAULTS)
        .models(Map.of("gpt-4o", ModelConfig.builder()
            .name("gpt-4o")
            .strategy(RoutingStrategy.PRIORITY)
            .backends(List.of(backend))
            .build()))
        .build();
    gateway = GatewayServer.start(vertx, config, GatewayOptions.defaults()).await();
  }

  /** Writes a fresh self-signed certificate for {@code localhost} over the configured files; returns it. */
  private X509Certificate installNewCertificate() throws Exception {
    SelfSignedCertificate generated = SelfSignedCertificate.create("localhost");
    Files.copy(Path.of(generated.privateKeyPath()), keyFile, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(Path.of(generated.certificatePath()), certFile, StandardCopyOption.REPLACE_EXISTING);
    generated.delete();
    try (InputStream in = Files.newInputStream(certFile)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** A TLS context that trusts exactly {@code trusted} and nothing from the JDK's CA store. */
  private static SSLContext trusting(X509Certificate... trusted) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    for (int i = 0; i < trusted.length; i++) {
      store.setCertificateEntry("trusted-" + i, trusted[i]);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static HttpClient client(SSLContext context) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** {@code https://localhost:port}: the name the certificate was issued for. */
  private String httpsUrl(String path) {
    return "https://localhost:" + gateway.port() + path;
  }

  /** The certificate a brand-new TLS connection is served. */
  private Certificate servedToANewConnection(SSLContext context) throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void servesHealthAndChatOverHttpsWithExactlyTheConfiguredCertificate() throws Exception {
    X509Certificate cert = installNewCertificate();
    startGateway();

    assertThat(gateway.baseUrl()).startsWith("https://");
    try (HttpClient https = client(trusting(cert))) {
      HttpResponse<String> health =
          https.send(HttpRequest.newBuilder(URI.create(httpsUrl("/healthz"))).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.sslSession()).hasValueSatisfying(s -> {
        try {
          assertThat(s.getPeerCertificates()[0]).isEqualTo(cert);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
          throw new AssertionError(e);
        }
      });

      HttpResponse<String> chat =
          https.send(
              HttpRequest.newBuilder(URI.create(httpsUrl("/v1/chat/completions")))
                  .timeout(Duration.ofSeconds(10))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
      assertThat(OpenAiErrors.JSON.readTree(chat.body()).path("choices").isArray()).isTrue();
      assertThat(chat.headers().firstValue("x-spillway-backend")).contains("sim");
    }
  }

  @Test
  void plainHttpIsNotServedOnAnHttpsListener() throws Exception {
    installNewCertificate();
    startGateway();
    try (HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      assertThatThrownBy(() -> plain.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/healthz"))
                  .timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aRenewedCertificateOnDiskIsServedToNewConnectionsWithoutARestart() throws Exception {
    X509Certificate first = installNewCertificate();
    startGateway();
    SSLContext either = trusting(first);
    assertThat(servedToANewConnection(either)).isEqualTo(first);

    X509Certificate second = installNewCertificate();
    assertThat(second).isNotEqualTo(first);
    either = trusting(first, second);
    long deadline = System.nanoTime() + RELOAD_BOUND.toNanos();
    Certificate served = servedToANewConnection(either);
    while (!served.equals(second) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      served = servedToANewConnection(either);
    }
    assertThat(served).as("certificate served %s after the renewal", RELOAD_BOUND).isEqualTo(second);

    // A client that trusts only the renewed certificate now gets through; one that trusts only the old one does not.
    try (HttpClient renewed = client(trusting(second))) {
      HttpResponse<String> health =
          renewed.send(HttpRequest.newBuilder(URI.create(httpsUrl("/healthz"))).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
    try (HttpClient stale = client(trusting(first))) {
      assertThatThrownBy(() -> stale.send(
              HttpRequest.newBuilder(URI.create(httpsUrl("/healthz"))).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }
}
