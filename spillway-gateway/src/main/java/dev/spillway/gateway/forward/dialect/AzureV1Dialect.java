package dev.spillway.gateway.forward.dialect;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.pipeline.RequestContext;

/**
 * Azure OpenAI's v1 API ({@code apiVersion: v1}): {@code {url}/openai/v1/{operation}}, no api-version, the deployment
 * named in the body's {@code model}, {@code stream_options} understood.
 */
final class AzureV1Dialect implements Dialect {
  static final AzureV1Dialect INSTANCE = new AzureV1Dialect();
  static final String VERSION = "v1";

  private AzureV1Dialect() {}

  @Override
  public String uri(BackendConfig backend, Operation operation) {
    return Dialect.base(backend) + "/openai/v1/" + operation.pathSuffix();
  }

  @Override
  public boolean namesModelInBody() {
    return true;
  }

  @Override
  public boolean injectsStreamUsage(RequestContext ctx, BackendConfig backend) {
    return UsageInjection.wanted(ctx);
  }
}
