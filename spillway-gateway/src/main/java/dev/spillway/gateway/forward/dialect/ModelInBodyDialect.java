package dev.spillway.gateway.forward.dialect;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.pipeline.RequestContext;

/**
 * The dialects that name the backend's model in the body's {@code model} and take {@code stream_options}: OpenAI and
 * OpenAI-compatible servers ({@code {url}/{operation}}), and Azure OpenAI's v1 API ({@code apiVersion: v1}: {@code
 * {url}/openai/v1/{operation}}, no api-version, the deployment as the model).
 */
final class ModelInBodyDialect implements Dialect {
  static final ModelInBodyDialect OPENAI = new ModelInBodyDialect("/");
  static final ModelInBodyDialect AZURE_V1 = new ModelInBodyDialect("/openai/v1/");

  /** The {@code apiVersion} that selects Azure's v1 API. */
  static final String AZURE_V1_VERSION = "v1";

  private final String pathPrefix;

  private ModelInBodyDialect(String pathPrefix) {
    this.pathPrefix = pathPrefix;
  }

  @Override
  public String uri(BackendConfig backend, Operation operation, String encodedId, String query) {
    return Dialect.base(backend) + pathPrefix + operation.pathFor(encodedId) + (query.isEmpty() ? "" : "?" + query);
  }

  @Override
  public boolean namesModelInBody(Operation operation) {
    return !operation.storesObjects(); // a batch names its model in its input file's lines, not in its own body
  }

  @Override
  public boolean injectsStreamUsage(RequestContext ctx, BackendConfig backend) {
    return UsageInjection.wanted(ctx);
  }
}
