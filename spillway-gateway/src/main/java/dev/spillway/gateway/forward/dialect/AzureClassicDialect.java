package dev.spillway.gateway.forward.dialect;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.pipeline.RequestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI's deployments API: {@code {url}/openai/deployments/{deployment}/{operation}?api-version={apiVersion}}.
 * The deployment is in the path, so the body goes as the client sent it. The Responses API is the exception: {@code
 * {url}/openai/responses?api-version=...} with the deployment as the body's model (its api-version must be one that
 * has it, 2025-03-01-preview or later); files and batches are on the resource too ({@code {url}/openai/files}).
 * Azure takes {@code stream_options} from
 * api-version 2024-09-01 on; older versions' streams are counted by estimate.
 */
final class AzureClassicDialect implements Dialect {
  static final AzureClassicDialect INSTANCE = new AzureClassicDialect();
  private static final String FIRST_STREAM_OPTIONS_VERSION = "2024-09-01";

  private AzureClassicDialect() {}

  @Override
  public String uri(BackendConfig backend, Operation operation, String encodedId, String query) {
    String version = "?api-version=" + URLEncoder.encode(backend.apiVersion(), StandardCharsets.UTF_8);
    String extra = query.isEmpty() ? "" : "&" + query;
    if (!operation.deploymentScoped()) {
      // The Responses API, files and batches live on the resource: /openai/responses, /openai/files, ...
      return Dialect.base(backend) + "/openai/" + operation.pathFor(encodedId) + version + extra;
    }
    return Dialect.base(backend)
        + "/openai/deployments/"
        + URLEncoder.encode(backend.deployment(), StandardCharsets.UTF_8)
        + "/"
        + operation.pathFor(encodedId)
        + version
        + extra;
  }

  @Override
  public boolean namesModelInBody(Operation operation) {
    return operation.responsesApi();
  }

  @Override
  public boolean injectsStreamUsage(RequestContext ctx, BackendConfig backend) {
    return UsageInjection.wanted(ctx) && backend.apiVersion().compareTo(FIRST_STREAM_OPTIONS_VERSION) >= 0;
  }
}
