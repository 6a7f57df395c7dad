package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendTls;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.Tier;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A backend behind mutual TLS with a private CA: reached only with the configured client certificate. */
class BackendMutualTlsTest {
  private TestWorld world;
  private HttpServer upstream;
  private SelfSignedCertificate serverCert;
  private SelfSignedCertificate clientCert;
  private final AtomicReference<String> peer = new AtomicReference<>();

  @BeforeEach
  void start() {
    world = new TestWorld();
    serverCert = SelfSignedCertificate.create("localhost");
    clientCert = SelfSignedCertificate.create("spillway-client");
    upstream = world.vertx.createHttpServer(new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(serverCert.keyCertOptions())
            .setTrustOptions(clientCert.trustOptions())
            .setClientAuth(ClientAuth.REQUIRED))
        .requestHandler(req -> req.body().onSuccess(b -> {
          try {
            peer.set(req.connection().peerCertificates().get(0).toString());
          } catch (Exception e) {
            peer.set("none");
          }
          req.response().putHeader("content-type", "application/json")
              .end("{\"object\":\"chat.completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}");
        }))
        .listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    upstream.close().await();
    world.close();
    serverCert.delete();
    clientCert.delete();
  }

  private BackendConfig backend(String id, BackendTls tls) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create("https://localhost:" + upstream.actualPort()))
        .deployment("d")
        .auth(BackendAuth.apiKey("k"))
        .tier(Tier.PTU)
        .priority(1)
        .region("test")
        .tls(tls)
        .build();
  }

  @Test
  void theClientCertificateOpensTheBackendAndItsCaIsTrusted() throws Exception {
    BackendTls tls = new BackendTls(Optional.of(Path.of(clientCert.certificatePath())),
        Optional.of(Path.of(clientCert.privateKeyPath())), Optional.of(Path.of(serverCert.certificatePath())));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(backend("mtls", tls)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(peer.get()).contains("spillway-client");
  }

  @Test
  void withoutTheClientCertificateTheBackendCannotBeReached() throws Exception {
    BackendTls trustOnly = new BackendTls(Optional.empty(), Optional.empty(), Optional.of(Path.of(serverCert.certificatePath())));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(backend("no-cert", trustOnly)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(502);
  }

  @Test
  void anUntrustedServerCertificateIsRefused() throws Exception {
    BackendTls noTrust = new BackendTls(Optional.of(Path.of(clientCert.certificatePath())),
        Optional.of(Path.of(clientCert.privateKeyPath())), Optional.empty());
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(backend("untrusted", noTrust)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(peer.get()).isNull();
  }
}
