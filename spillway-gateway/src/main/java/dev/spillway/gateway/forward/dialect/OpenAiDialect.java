package dev.spillway.gateway.forward.dialect;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.pipeline.RequestContext;

/** OpenAI and OpenAI-compatible servers: {@code {url}/{operation}}, the backend's model named in the body. */
final class OpenAiDialect implements Dialect {
  static final OpenAiDialect INSTANCE = new OpenAiDialect();

  private OpenAiDialect() {}

  @Override
  public String uri(BackendConfig backend, Operation operation) {
    return Dialect.base(backend) + "/" + operation.pathSuffix();
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
