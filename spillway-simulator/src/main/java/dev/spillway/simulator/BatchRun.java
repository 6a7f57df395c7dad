package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a batch's input file at once, as a backend would over its completion window: each line's request is answered
 * by the deployment its {@code body.model} names on this simulator (a name it does not serve fails that line with
 * {@code model_not_found}, as Azure fails a line naming another deployment), with a generated completion and its usage.
 * Chat completions and completions are served; other URLs fail their line. Deterministic for the simulator's seed.
 *
 * @param output the output file's JSON Lines (answered requests)
 * @param errors the error file's JSON Lines (failed requests)
 * @param total the requests in the input
 * @param failed of those, how many failed
 */
record BatchRun(String output, String errors, int total, int failed) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static BatchRun run(byte[] input, String batchId, Map<String, DeploymentRuntime> deployments, long seed,
      long nowSeconds, String systemFingerprint) {
    StringBuilder output = new StringBuilder();
    StringBuilder errors = new StringBuilder();
    int total = 0;
    int failed = 0;
    for (String line : new String(input, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      total++;
      ObjectNode result = JSON.createObjectNode().put("id", "batch_req_" + batchId + "_" + total);
      try {
        JsonNode request = JSON.readTree(line);
        result.put("custom_id", request.path("custom_id").asText());
        ObjectNode response = answer(request, deployments, seed, total, nowSeconds, systemFingerprint, result);
        if (response == null) {
          failed++;
          errors.append(result).append('\n');
        } else {
          result.set("response", response);
          result.putNull("error");
          output.append(result).append('\n');
        }
      } catch (IOException e) {
        failed++;
        result.putNull("response");
        result.set("error", error("invalid_json", "The line is not valid JSON."));
        errors.append(result).append('\n');
      }
    }
    return new BatchRun(output.toString(), errors.toString(), total, failed);
  }

  /** The line's response, or null after setting the result's error. */
  private static ObjectNode answer(JsonNode request, Map<String, DeploymentRuntime> deployments, long seed, int n,
      long nowSeconds, String fingerprint, ObjectNode result) {
    String url = request.path("url").asText();
    Operation op = url.endsWith("/chat/completions") ? Operation.CHAT_COMPLETIONS
        : url.endsWith("/completions") ? Operation.COMPLETIONS : null;
    String model = request.path("body").path("model").asText("");
    DeploymentRuntime deployment = deployments.get(model);
    if (op == null || deployment == null || deployment.config().kind() != DeploymentKind.CHAT) {
      result.putNull("response");
      result.set("error", op == null
          ? error("unsupported_url", "The simulator's batches run chat completions and completions only.")
          : error("model_not_found", "The deployment '" + model + "' does not exist on this resource."));
      return null;
    }
    CompletionRequest parsed;
    try {
      parsed = CompletionRequest.parse(op, request.path("body"));
    } catch (InvalidRequestException e) {
      result.putNull("response");
      result.set("error", error("invalid_request", e.getMessage()));
      return null;
    }
    SplittableRandom random = new SplittableRandom(seed * 31 + n);
    int tokens = parsed.maxTokens().orElse(CompletionText.defaultLength(random));
    List<String> pieces = CompletionText.pieces(random, Math.min(tokens, CompletionText.MAX_TOKENS));
    String id = (op == Operation.CHAT_COMPLETIONS ? "chatcmpl-" : "cmpl-") + Long.toHexString(seed ^ n) + n;
    String body = new CompletionJson(op, id, nowSeconds, deployment.config().name(), fingerprint)
        .response(pieces, pieces.size() < tokens ? "stop" : "length", parsed.promptTokens());
    ObjectNode response = JSON.createObjectNode().put("status_code", 200).put("request_id", id);
    try {
      response.set("body", JSON.readTree(body));
    } catch (IOException e) {
      throw new IllegalStateException("the simulator's own JSON must parse", e);
    }
    return response;
  }

  private static ObjectNode error(String code, String message) {
    return JSON.createObjectNode().put("code", code).put("message", message);
  }
}
