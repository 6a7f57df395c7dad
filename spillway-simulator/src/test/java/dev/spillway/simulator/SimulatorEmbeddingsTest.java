package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatorEmbeddingsTest {
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(
        DeploymentConfig.embeddings("text-embedding-3-small"), DeploymentConfig.embeddings("tiny", 8)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void floatVectorsAreUnitLengthWithUsage() {
    HttpResponse<String> r = harness.post(sim,
        "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21",
        "{\"input\":\"The quick brown fox\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = SimHarness.json(r);
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("model").asText()).isEqualTo("text-embedding-3-small");
    JsonNode item = body.path("data").get(0);
    assertThat(item.path("object").asText()).isEqualTo("embedding");
    assertThat(item.path("index").asInt()).isZero();
    float[] vector = floats(item.path("embedding"));
    assertThat(vector).hasSize(1536);
    assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
    int tokens = TokenCounter.count("The quick brown fox");
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(tokens);
    assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(tokens);
  }

  @Test
  void base64IsTheLittleEndianFloat32BytesOfTheSameVector() {
    String common = "\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta gamma\"]";
    JsonNode floats = SimHarness.json(harness.post(sim, "/v1/embeddings", "{" + common + "}"));
    JsonNode base64 = SimHarness.json(harness.post(sim, "/v1/embeddings", "{" + common + ",\"encoding_format\":\"base64\"}"));

    assertThat(base64.path("data")).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(base64.path("data").get(i).path("index").asInt()).isEqualTo(i);
      byte[] bytes = Base64.getDecoder().decode(base64.path("data").get(i).path("embedding").asText());
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      float[] decoded = new float[bytes.length / 4];
      for (int j = 0; j < decoded.length; j++) {
        decoded[j] = buffer.getFloat();
      }
      assertThat(decoded).containsExactly(floats(floats.path("data").get(i).path("embedding")));
    }
  }

  @Test
  void honoursDimensionsAsTheRenormalizedPrefix() {
    float[] full = floats(SimHarness.json(harness.post(sim, "/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":\"rivers\"}")).path("data").get(0).path("embedding"));
    float[] short8 = floats(SimHarness.json(harness.post(sim, "/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":\"rivers\",\"dimensions\":8}")).path("data").get(0).path("embedding"));

    assertThat(short8).hasSize(8);
    assertThat(norm(short8)).isCloseTo(1.0, within(1e-5));
    double prefixNorm = 0;
    for (int i = 0; i < 8; i++) {
      prefixNorm += full[i] * full[i];
    }
    assertThat(short8[3]).isCloseTo((float) (full[3] / Math.sqrt(prefixNorm)), within(1e-5f));
    assertThat(harness.post(sim, "/v1/embeddings", "{\"model\":\"tiny\",\"input\":\"x\",\"dimensions\":9}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void acceptsTokenArraysAndIsDeterministic() {
    String body = "{\"model\":\"tiny\",\"input\":[[1,2,3],[4,5]]}";
    JsonNode first = SimHarness.json(harness.post(sim, "/v1/embeddings", body));
    JsonNode second = SimHarness.json(harness.post(sim, "/v1/embeddings", body));
    assertThat(first.path("data")).hasSize(2);
    assertThat(first.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
    assertThat(second.path("data")).isEqualTo(first.path("data"));
    JsonNode single = SimHarness.json(harness.post(sim, "/v1/embeddings", "{\"model\":\"tiny\",\"input\":[1,2,3]}"));
    assertThat(single.path("data").get(0).path("embedding")).isEqualTo(first.path("data").get(0).path("embedding"));
  }

  @Test
  void similarTextsAreCloserThanUnrelatedOnes() {
    float[] question = vector("What is the capital of France?");
    float[] rephrased = vector("what's the capital of France");
    float[] unrelated = vector("Bake the bread for forty minutes");
    assertThat(dot(question, rephrased)).isGreaterThan(0.7);
    assertThat(dot(question, unrelated)).isLessThan(0.4);
  }

  @Test
  void rejectsEmptyInput() {
    assertThat(harness.post(sim, "/v1/embeddings", "{\"model\":\"tiny\",\"input\":\"\"}").statusCode()).isEqualTo(400);
    assertThat(harness.post(sim, "/v1/embeddings", "{\"model\":\"tiny\",\"input\":[]}").statusCode()).isEqualTo(400);
    assertThat(harness.post(sim, "/v1/embeddings", "{\"model\":\"tiny\"}").statusCode()).isEqualTo(400);
  }

  private static float[] vector(String text) {
    String body = "{\"model\":\"text-embedding-3-small\",\"input\":" + SimHarness.JSON.valueToTree(text) + "}";
    return floats(SimHarness.json(harness.post(sim, "/v1/embeddings", body)).path("data").get(0).path("embedding"));
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  private static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
