package dev.spillway.gateway.forward.dialect;

import dev.spillway.core.batch.BatchInputScan;
import dev.spillway.gateway.pipeline.Upload;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.http.Json;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.core.multipart.BodySegment;
import dev.spillway.core.multipart.MultipartRewrite;
import dev.spillway.core.multipart.MultipartScanner;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body one request sends to each backend it tries: the client's bytes unchanged, unless a policy changed the body,
 * the backend's dialect names its own model in the body, or the gateway adds {@code stream_options.include_usage}.
 * Built once per variant and kept for retries. Not thread-safe: one per request.
 */
public final class UpstreamBody {
  private final RequestContext ctx;
  private Buffer rewritten;
  private String rewrittenFor;

  public UpstreamBody(RequestContext ctx) {
    this.ctx = ctx;
  }

  /** The bytes for {@code backend}, spoken to in {@code dialect}; null for a call without a body (on an object). */
  public Buffer forBackend(BackendConfig backend, Dialect dialect) {
    if (ctx.json() == null) {
      return null;
    }
    // The body's own model, not the logical one: a body sent to a deployment path may name none, or another name.
    String model = ctx.json().path("model").asText("");
    boolean rewriteModel = dialect.namesModelInBody(ctx.route().operation()) && !backend.deployment().equals(model);
    boolean addUsage = dialect.injectsStreamUsage(ctx, backend);
    if (!rewriteModel && !addUsage && !ctx.bodyChanged()) {
      return ctx.rawBody();
    }
    String variant = (rewriteModel ? backend.deployment() : "") + "|" + addUsage;
    if (!variant.equals(rewrittenFor)) {
      ObjectNode copy = ctx.json().deepCopy();
      if (rewriteModel) {
        copy.put("model", backend.deployment());
      }
      if (addUsage) {
        UsageInjection.addTo(copy);
      }
      try {
        rewritten = Buffer.buffer(Json.MAPPER.writeValueAsBytes(copy));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a parsed body must serialize", e);
      }
      rewrittenFor = variant;
    }
    return rewritten;
  }

  /**
   * The parts of a spooled upload's form for {@code backend}: the form as the client sent it, or with its {@code model}
   * field set to the backend's name where the dialect reads the model from the body (ranges of the spool file and the
   * new value: nothing is copied).
   */
  public List<BodySegment> formFor(MultipartScanner.Result form, BackendConfig backend, Dialect dialect) {
    List<BodySegment> whole = MultipartRewrite.whole(form);
    Optional<BatchInputScan.Result> batch = ctx.attribute(Upload.BATCH_INPUT);
    if (batch.isPresent()) {
      return batchInputFor(batch.get(), form.size(), backend);
    }
    if (!dialect.namesModelInBody(ctx.route().operation()) || backend.deployment().equals(form.field("model").orElse(""))) {
      return whole;
    }
    return MultipartRewrite.withField(form, "model", backend.deployment()).orElse(whole);
  }

  /**
   * A batch input file's form with every line's {@code body.model} set to the backend's deployment (or model) name: the
   * spool file's ranges around each value, and the name as a JSON string between them.
   */
  private static List<BodySegment> batchInputFor(BatchInputScan.Result batch, long size, BackendConfig backend) {
    byte[] name;
    try {
      name = Json.MAPPER.writeValueAsBytes(backend.deployment());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string must serialize", e);
    }
    List<BodySegment> segments = new ArrayList<>(batch.modelValues().size() * 2 + 1);
    BodySegment.Literal value = new BodySegment.Literal(name);
    long at = 0;
    for (BatchInputScan.Span span : batch.modelValues()) {
      segments.add(new BodySegment.Range(at, span.start()));
      segments.add(value);
      at = span.end();
    }
    segments.add(new BodySegment.Range(at, size));
    return segments;
  }
}
