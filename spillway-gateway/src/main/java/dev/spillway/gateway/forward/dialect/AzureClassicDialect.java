package dev.spillway.gateway.forward.dialect;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.pipeline.RequestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI's deployments API: {@code {url}/openai/deployments/{deployment}/{operation}?api-version={apiVersion}}.
 * The deployment is in the path, so the body goes as the client sent it. Azure takes {@code stream_options} from
 * api-version 2024-09-01 on; older versions' streams are counted by estimate.
 */
final class AzureClassicDialect implements Dialect {
  static final AzureClassicDialect INSTANCE = new AzureClassicDialect();
  private static final String FIRST_STREAM_OPTIONS_VERSION = "2024-09-01";

  private AzureClassicDialect() {}

  @Override
  public String uri(BackendConfig backend, Operation operation) {
    return Dialect.base(backend)
        + "/openai/deployments/"
        + URLEncoder.encode(backend.deployment(), StandardCharsets.UTF_8)
        + "/"
        + operation.pathSuffix()
        + "?api-version="
        + URLEncoder.encode(backend.apiVersion(), StandardCharsets.UTF_8);
  }

  @Override
  public boolean namesModelInBody() {
    return false;
  }

  @Override
  public boolean injectsStreamUsage(RequestContext ctx, BackendConfig backend) {
    return UsageInjection.wanted(ctx) && backend.apiVersion().compareTo(FIRST_STREAM_OPTIONS_VERSION) >= 0;
  }
}
