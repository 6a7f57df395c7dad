package dev.spillway.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The discovery client against small loopback servers that answer what Azure might, including what it should not. */
class AzureDiscoveryTest {
  private static final AzureResourceId ID = new AzureResourceId("sub", "rg", "contoso");
  private final Vertx vertx = Vertx.vertx();
  private final AzureDiscovery discovery = new AzureDiscovery(Duration.ofSeconds(5));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private HttpServer serve(Consumer<HttpServerRequest> handler) {
    return vertx.createHttpServer().requestHandler(handler::accept).listen(0, "127.0.0.1").await();
  }

  private static URI url(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  @Test
  void aNextLinkToAnotherOriginIsRefusedAndTheTokenNeverSentThere() {
    List<String> elsewhere = new CopyOnWriteArrayList<>();
    HttpServer other = serve(req -> {
      elsewhere.add(req.getHeader("authorization"));
      req.response().end("{\"value\":[]}");
    });
    HttpServer arm = serve(req -> req.response().end("{\"value\":[{\"name\":\"chat\",\"sku\":{\"name\":\"Standard\","
        + "\"capacity\":1},\"properties\":{\"model\":{\"format\":\"OpenAI\",\"name\":\"gpt-4o\",\"version\":\"1\"},"
        + "\"provisioningState\":\"Succeeded\"}}],\"nextLink\":\"" + url(other) + "/page2\"}"));

    assertThatThrownBy(() -> discovery.armDeployments(url(arm), ID, "Bearer secret-token"))
        .isInstanceOf(DiscoveryException.class).hasMessageContaining("another origin")
        .hasMessageNotContaining("secret-token");
    assertThat(elsewhere).isEmpty();
  }

  @Test
  void armErrorsAreNamedByStatusAndCodeWithAHintFor401() {
    HttpServer arm = serve(req -> req.response().setStatusCode(403).end("{\"error\":{\"code\":\"AuthorizationFailed\","
        + "\"message\":\"The client does not have authorization to perform action.\"}}"));
    assertThatThrownBy(() -> discovery.account(url(arm), ID, "Bearer t"))
        .isInstanceOf(DiscoveryException.class)
        .hasMessageContaining("answered 403 (AuthorizationFailed: The client does not have authorization")
        .hasMessageContaining("needs a role on the resource");
  }

  @Test
  void aMissingKeyOnlyListSuggestsTheManagementApi() {
    HttpServer resource = serve(req -> req.response().setStatusCode(404)
        .end("{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}"));
    assertThatThrownBy(() -> discovery.dataPlaneDeployments(url(resource), "the-key"))
        .isInstanceOf(DiscoveryException.class)
        .hasMessageContaining(url(resource) + "/openai/deployments answered 404")
        .hasMessageContaining("--resource-id").hasMessageNotContaining("the-key");
  }

  @Test
  void anAnswerThatIsNotJsonSaysSo() {
    HttpServer page = serve(req -> req.response().end("<html>sign in</html>"));
    assertThatThrownBy(() -> discovery.dataPlaneDeployments(url(page), "k"))
        .isInstanceOf(DiscoveryException.class).hasMessageContaining("not JSON");
  }

  @Test
  void theKeyOnlyListReadsNamesModelsAndStatus() {
    HttpServer resource = serve(req -> {
      String body = "the-key".equals(req.getHeader("api-key")) && "2022-12-01".equals(req.getParam("api-version"))
          ? "{\"data\":[{\"id\":\"chat\",\"model\":\"gpt-4o\",\"status\":\"succeeded\",\"object\":\"deployment\"},"
              + "{\"id\":\"new\",\"model\":\"gpt-4o-mini\",\"status\":\"running\",\"object\":\"deployment\"}],"
              + "\"object\":\"list\"}"
          : "{}";
      req.response().end(body);
    });
    List<DiscoveredDeployment> found = discovery.dataPlaneDeployments(url(resource), "the-key");
    assertThat(found).extracting(DiscoveredDeployment::name).containsExactly("chat", "new");
    assertThat(found).extracting(DiscoveredDeployment::model).containsExactly("gpt-4o", "gpt-4o-mini");
    assertThat(found).extracting(DiscoveredDeployment::state).containsExactly("Succeeded", "running");
    assertThat(found).allMatch(d -> d.sku().isEmpty() && d.capacity().isEmpty());
  }
}
