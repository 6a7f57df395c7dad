package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.gateway.http.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.Tier;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What reaches the backend: its own URL, deployment and key; the client's body and options untouched. */
class ForwardingTest {
  /** Every kind of option a client may send, with numbers in forms a careless re-serializer would change. */
  private static final String BODY =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Grüße \\u00e9 \\ud83d\\ude00\"}],"
          + "\"temperature\":0.70,\"top_p\":1.0,\"presence_penalty\":1e-7,\"seed\":12345678901234567890,"
          + "\"logit_bias\":{\"50256\":-100},\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}],"
          + "\"response_format\":{\"type\":\"json_object\"},\"user\":\"u-1\",\"n\":1}";

  private TestWorld world;
  private HttpServer recorder;
  private final AtomicReference<String> path = new AtomicReference<>();
  private final AtomicReference<MultiMap> headers = new AtomicReference<>();
  private final AtomicReference<byte[]> body = new AtomicReference<>();

  @BeforeEach
  void start() {
    world = new TestWorld();
    recorder = world.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      path.set(req.uri());
      headers.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      body.set(b.getBytes());
      req.response().putHeader("content-type", "application/json")
          .putHeader("x-request-id", "up-1").putHeader("x-ratelimit-remaining-tokens", "999")
          .putHeader("azure-openai-deployment-utilization", "12.5%").putHeader("set-cookie", "secret=1")
          .putHeader("server", "upstream/1.0")
          .end("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}");
    })).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    recorder.close().await();
    world.close();
  }

  private String recorderUrl() {
    return "http://127.0.0.1:" + recorder.actualPort();
  }

  private static final Map<String, String> CLIENT_HEADERS = Map.of(
      "api-key", "client-key", "authorization", "Bearer client-token", "x-spillway-backend", "forged",
      "openai-beta", "assistants=v2", "x-custom", "kept");

  @Test
  void azureBackendsGetTheirDeploymentUrlTheirKeyAndTheExactBodyBytes() throws Exception {
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("az", recorderUrl(), "gpt-4o-ptu-eastus", Tier.PTU, 1)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), BODY, CLIENT_HEADERS);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(path.get()).isEqualTo("/openai/deployments/gpt-4o-ptu-eastus/chat/completions?api-version=2024-10-21");
    assertThat(body.get()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8));
    assertThat(headers.get().get("api-key")).isEqualTo(Backends.BACKEND_KEY);
    assertThat(headers.get().contains("authorization")).isFalse();
    assertThat(headers.get().contains("x-spillway-backend")).isFalse();
    assertThat(headers.get().get("openai-beta")).isEqualTo("assistants=v2");
    assertThat(headers.get().get("x-custom")).isEqualTo("kept");

    // Relevant upstream headers come back; the rest stay behind.
    assertThat(r.headers().firstValue("x-request-id")).contains("up-1");
    assertThat(r.headers().firstValue("x-ratelimit-remaining-tokens")).contains("999");
    assertThat(r.headers().firstValue("azure-openai-deployment-utilization")).contains("12.5%");
    assertThat(r.headers().firstValue("set-cookie")).isEmpty();
    assertThat(r.headers().firstValue("server")).isEmpty();
    assertThat(r.headers().firstValue("x-spillway-backend")).contains("az");
  }

  @Test
  void azureClassicClientsReachOpenAiBackendsWithTheBackendsModelName() throws Exception {
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.openai("oa", recorderUrl() + "/v1", "gpt-4o-2024-08-06", Tier.PAYG, 1)))));

    HttpResponse<String> r = Http.post(
        world.url("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"), BODY, CLIENT_HEADERS);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(path.get()).isEqualTo("/v1/chat/completions");
    assertThat(headers.get().get("authorization")).isEqualTo("Bearer " + Backends.BACKEND_KEY);
    assertThat(headers.get().contains("api-key")).isFalse();
    JsonNode sent = Json.MAPPER.readTree(body.get());
    ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(BODY);
    expected.put("model", "gpt-4o-2024-08-06");
    assertThat(sent).isEqualTo(expected);
    String sentText = new String(body.get(), StandardCharsets.UTF_8);
    assertThat(sentText).contains("\"temperature\":0.70").contains("\"top_p\":1.0").contains("12345678901234567890");
  }

  @Test
  void azureV1BackendsGetTheV1PathTheirKeyAndTheirDeploymentInTheBody() throws Exception {
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("az1", recorderUrl(), "gpt-4o-ptu-eastus", Tier.PTU, 1).toBuilder().apiVersion("v1").build()))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), BODY, CLIENT_HEADERS);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(path.get()).isEqualTo("/openai/v1/chat/completions");
    assertThat(headers.get().get("api-key")).isEqualTo(Backends.BACKEND_KEY);
    assertThat(headers.get().contains("authorization")).isFalse();
    ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(BODY);
    expected.put("model", "gpt-4o-ptu-eastus");
    assertThat(Json.MAPPER.readTree(body.get())).isEqualTo(expected);
  }
}
