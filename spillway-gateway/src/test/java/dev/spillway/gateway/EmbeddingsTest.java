package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {
  private TestWorld world;

  @BeforeEach
  void start() {
    world = new TestWorld().simulate(List.of(DeploymentConfig.embeddings("emb-small", 64)));
    world.gateway(Backends.config(Map.of("text-embedding-3-small", List.of(
        Backends.azure("emb-1", world.simUrl(), "emb-small", Tier.PAYG, 1)))));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void floatAndBase64EmbeddingsAgree() throws Exception {
    String floatBody = "{\"model\":\"text-embedding-3-small\",\"input\":[\"hello\",\"world\"]}";
    String base64Body = "{\"model\":\"text-embedding-3-small\",\"input\":[\"hello\",\"world\"],\"encoding_format\":\"base64\"}";

    HttpResponse<String> floats = Http.post(world.url("/v1/embeddings"), floatBody);
    HttpResponse<String> encoded = Http.post(
        world.url("/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21"), base64Body);

    assertThat(floats.statusCode()).isEqualTo(200);
    assertThat(encoded.statusCode()).isEqualTo(200);
    JsonNode f = Http.json(floats);
    JsonNode b = Http.json(encoded);
    assertThat(f.path("data")).hasSize(2);
    assertThat(f.path("usage").path("prompt_tokens").asInt()).isPositive();
    for (int i = 0; i < 2; i++) {
      JsonNode vector = f.path("data").get(i).path("embedding");
      assertThat(vector).hasSize(64);
      byte[] raw = Base64.getDecoder().decode(b.path("data").get(i).path("embedding").asText());
      ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(raw).hasSize(64 * 4);
      for (int d = 0; d < 64; d++) {
        assertThat(buf.getFloat()).isEqualTo(vector.get(d).floatValue());
      }
    }
    assertThat(world.listener.nextRequest().usage()).isPresent();
  }
}
