package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Error bodies shaped like Azure OpenAI's: {@code {"error":{"code":"...","message":"..."}}}, with
 * OpenAI's {@code type} and {@code param} added for invalid requests, and OpenAI's own shape for the
 * Responses API's unknown ids. Pure; thread-safe.
 */
final class AzureErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String RESOURCE_NOT_FOUND = "Resource not found";
  static final String DEPLOYMENT_NOT_FOUND =
      "The API deployment for this resource does not exist. If you created the deployment within the "
          + "last 5 minutes, please wait a moment and try again.";
  static final String ACCESS_DENIED =
      "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
          + "valid key for an active subscription and use a correct regional API endpoint for your resource.";

  private AzureErrors() {}

  /** {@code {"error":{"code":code,"message":message}}}. */
  static String body(String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("code", code).put("message", message);
    return root.toString();
  }

  /** A 400 body for an invalid request, naming the parameter when there is one. */
  static String invalidRequest(String message, String param) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error").put("code", "BadRequest").put("message", message);
    error.put("type", "invalid_request_error");
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    return root.toString();
  }

  /**
   * OpenAI's error body, {@code {"error":{"message","type","param","code"}}}, as the Responses API's
   * calls on stored responses answer on OpenAI and on Azure's v1 API alike.
   *
   * @param param the offending parameter, or null
   * @param code OpenAI's error code, or null
   */
  static String typed(String message, String type, String param, String code) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error").put("message", message).put("type", type);
    error.put("param", param);
    error.put("code", code);
    return root.toString();
  }

  /** The 429 message, Azure-style: {@code Requests to the X Operation under ... Please retry after N seconds.} */
  static String rateLimited(Operation op, String apiVersion, String deployment, String exceededLimit, long seconds) {
    return "Requests to the " + op.azureOperationId() + " Operation under Azure OpenAI API version "
        + apiVersion + " have exceeded " + exceededLimit + " of deployment " + deployment
        + ". Please retry after " + seconds + (seconds == 1 ? " second." : " seconds.");
  }

  /** The 400 {@code OperationNotSupported} message for a deployment of the wrong kind. */
  static String operationNotSupported(Operation op, String deployment) {
    return "The " + op.azureOperationName() + " operation does not work with the specified model, "
        + deployment + ". Please choose different model and try again. You can learn more about which "
        + "models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.";
  }
}
