package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Tier;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelsAndProbesTest {
  private TestWorld world;

  @BeforeEach
  void start() {
    world = new TestWorld();
    Map<String, List<dev.spillway.core.config.BackendConfig>> models = new LinkedHashMap<>();
    // Backends are never called by these endpoints: an unreachable URL proves it.
    models.put("gpt-4o", List.of(Backends.azure("a", "http://127.0.0.1:9", "d", Tier.PTU, 1)));
    models.put("text-embedding-3-small", List.of(Backends.azure("b", "http://127.0.0.1:9", "e", Tier.PAYG, 1)));
    world.gateway(Backends.config(models));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void listsConfiguredModelsOnBothBases() throws Exception {
    for (String path : List.of("/v1/models", "/openai/v1/models")) {
      HttpResponse<String> r = Http.get(world.url(path));
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = Http.json(r);
      assertThat(body.path("object").asText()).isEqualTo("list");
      assertThat(body.path("data").findValuesAsText("id")).containsExactly("gpt-4o", "text-embedding-3-small");
      assertThat(body.path("data").get(0).path("object").asText()).isEqualTo("model");
    }
  }

  @Test
  void retrievesOneModelAndRefusesAnUnknownOne() throws Exception {
    HttpResponse<String> known = Http.get(world.url("/v1/models/gpt-4o"));
    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(Http.json(known).path("id").asText()).isEqualTo("gpt-4o");

    HttpResponse<String> unknown = Http.get(world.url("/v1/models/gpt-9"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.json(unknown).path("error").path("code").asText()).isEqualTo("model_not_found");
  }

  @Test
  void probesAreAnsweredByTheGatewayItself() throws Exception {
    assertThat(Http.get(world.url("/healthz")).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = Http.get(world.url("/readyz"));
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(Http.json(ready).path("status").asText()).isEqualTo("ready");
  }
}
