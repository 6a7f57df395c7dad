package dev.spillway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Checks that a gateway answer is an OpenAI-shaped error: {@code {"error":{"message","type","param","code"}}}. */
final class OpenAiErrors {
  static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiErrors() {}

  /** Asserts the shape and returns the {@code error} object. */
  static JsonNode assertShape(int status, String contentType, String body, int expectedStatus, String expectedCode)
      throws IOException {
    assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
    JsonNode error = assertShape(contentType, body);
    assertThat(error.path("code").asText()).isEqualTo(expectedCode);
    return error;
  }

  /** Asserts the shape whatever the status and code; returns the {@code error} object. */
  static JsonNode assertShape(String contentType, String body) throws IOException {
    assertThat(contentType).as("content-type").isNotNull().startsWith("application/json");
    JsonNode root = JSON.readTree(body);
    assertThat(root.isObject()).as("a JSON object: %s", body).isTrue();
    JsonNode error = root.path("error");
    assertThat(error.isObject()).as("an error object: %s", body).isTrue();
    assertThat(error.path("message").isTextual()).as("error.message in %s", body).isTrue();
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.path("type").asText()).as("error.type in %s", body).isNotBlank();
    assertThat(error.has("param")).as("error.param in %s", body).isTrue();
    assertThat(error.path("code").asText()).as("error.code in %s", body).isNotBlank();
    assertThat(body).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("at dev.spillway");
    return error;
  }
}
