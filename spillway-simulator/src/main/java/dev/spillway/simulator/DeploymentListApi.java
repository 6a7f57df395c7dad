package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Azure OpenAI's legacy data-plane deployment list, {@code GET /openai/deployments?api-version=2022-12-01} with the
 * resource's {@code api-key}: {@code {"object":"list","data":[{"id":<deployment>,"model":<model>,"status":"succeeded",
 * "scale_settings":{"scale_type":"standard"},...}]}}. Like Azure's, it names each deployment's model but not its SKU
 * or capacity: that takes the management API ({@link ManagementPlane}). Stateless; thread-safe.
 */
final class DeploymentListApi {
  static final String PATH = "/openai/deployments";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, DeploymentRuntime> deployments;
  private final Clock clock;

  DeploymentListApi(Map<String, DeploymentRuntime> deployments, Clock clock) {
    this.deployments = deployments;
    this.clock = clock;
  }

  /** Answers the request when it is the deployment list and returns true; false leaves it to the caller. */
  boolean handle(HttpServerRequest req, Predicate<HttpServerRequest> authorized) {
    String path = req.path().endsWith("/") ? req.path().substring(0, req.path().length() - 1) : req.path();
    if (!path.equals(PATH)) {
      return false;
    }
    if (req.method() != HttpMethod.GET) {
      req.response().putHeader("allow", "GET");
      Replies.error(req.response(), 405, "405", "The " + req.method().name() + " method is not allowed on " + PATH + ".");
    } else if (req.getParam("api-version") == null || req.getParam("api-version").isBlank()) {
      Replies.error(req.response(), 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
    } else if (!authorized.test(req)) {
      Replies.error(req.response(), 401, "401", AzureErrors.ACCESS_DENIED);
    } else {
      Replies.send(req.response(), 200, list());
    }
    return true;
  }

  private String list() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    long now = clock.instant().getEpochSecond();
    for (DeploymentRuntime runtime : deployments.values()) {
      DeploymentConfig d = runtime.config();
      ObjectNode item = data.addObject();
      item.putObject("scale_settings").put("scale_type", "standard");
      item.put("model", d.modelName());
      item.put("owner", "organization-owner");
      item.put("id", d.name());
      item.put("status", "succeeded");
      item.put("created_at", now);
      item.put("updated_at", now);
      item.put("object", "deployment");
    }
    root.put("object", "list");
    return root.toString();
  }
}
