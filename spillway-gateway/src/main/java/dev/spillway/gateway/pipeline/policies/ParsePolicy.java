package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.multipart.MultipartScanner;
import dev.spillway.gateway.upload.BodySpooler;
import dev.spillway.core.api.RouteShape;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.ledger.EndUser;
import dev.spillway.gateway.http.BufferBytes;
import dev.spillway.gateway.http.Json;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestBody;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;

/**
 * {@code parse}: waits for the body (within {@code server.maxBodyBytes} and {@code server.requestTimeout}), parses it
 * once, and validates what every later stage relies on: a JSON object, a string {@code model} (or the Azure
 * deployment in the path), a boolean {@code stream}, at most {@code server.maxMessages} messages. Sets the model and
 * the stream flag. Routes without a body pass.
 *
 * <p>It also names the end user on the request's result ({@link EndUser}), unless the edge already read one from the
 * configured {@code ledger.endUserHeader} (the header wins): the JSON body's {@code user}, else its {@code
 * safety_identifier}, else an upload form's {@code user} field. Here because this is where the body is read, once;
 * it is not logged.
 */
public final class ParsePolicy implements Policy {
  /** The model a moderation request without one is routed as: OpenAI's default. */
  static final String DEFAULT_MODERATION_MODEL = "omni-moderation-latest";

  private final ServerConfig server;

  ParsePolicy(ServerConfig server) {
    this.server = server;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    if (ctx.route().operation() == Operation.REALTIME) {
      return realtime(ctx);
    }
    if (ctx.route().operation().multipart()) {
      return form(ctx);
    }
    if (ctx.body() == RequestBody.NONE) {
      return Verdict.CONTINUE_NOW;
    }
    return ctx.body()
        .read()
        .transform(
            ar -> {
              if (ar.failed()) {
                return Future.succeededFuture(new Verdict.ClientGone());
              }
              return Future.succeededFuture(
                  switch (ar.result()) {
                    case RequestBody.Read.Received received -> parse(ctx, received.bytes());
                    case RequestBody.Read.TooLarge t -> new Verdict.Refuse(GatewayError.bodyTooLarge(server.maxBodyBytes()));
                    case RequestBody.Read.TimedOut t -> new Verdict.Refuse(GatewayError.requestTimeout());
                    case RequestBody.Read.Answered a -> new Verdict.ClientGone();
                  });
            });
  }

  /**
   * An upload: the form spooled to disk as it arrives (within {@code server.maxBodyBytes} and {@code
   * server.requestTimeout}), its {@code model} field read from the form wherever it stands (or the Azure deployment in
   * the path).
   */
  private Future<Verdict> form(RequestContext ctx) {
    if (ctx.upload().isEmpty()) {
      return Verdict.refuse(GatewayError.notMultipart());
    }
    return ctx.upload().get().read().transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(new Verdict.ClientGone());
      }
      return Future.succeededFuture(switch (ar.result()) {
        case BodySpooler.Read.Spooled spooled -> formModel(ctx, spooled.body().form());
        case BodySpooler.Read.Malformed malformed -> new Verdict.Refuse(GatewayError.invalidMultipart(
            malformed.form().problem().orElse("the form ends before its closing boundary")));
        case BodySpooler.Read.TooLarge t -> new Verdict.Refuse(GatewayError.bodyTooLarge(server.maxBodyBytes()));
        case BodySpooler.Read.TimedOut t -> new Verdict.Refuse(GatewayError.requestTimeout());
        case BodySpooler.Read.Answered a -> new Verdict.ClientGone();
        case BodySpooler.Read.Unavailable u -> new Verdict.Refuse(GatewayError.uploadUnavailable());
      });
    });
  }

  private static Verdict formModel(RequestContext ctx, MultipartScanner.Result form) {
    ctx.stream(false);
    nameEndUser(ctx, form.field("user").map(EndUser::of).orElse(EndUser.NONE));
    if (ctx.route().operation().storesObjects()) {
      return Verdict.CONTINUE; // a file or an upload's part names no model: {@code fileModel} or its record decides
    }
    String model = ctx.route().shape() == RouteShape.AZURE_CLASSIC
        ? ctx.route().pathParam().orElseThrow()
        : form.field("model").map(String::strip).orElse("");
    if (model.isEmpty()) {
      return new Verdict.Refuse(GatewayError.missingModel());
    }
    ctx.model(model);
    return Verdict.CONTINUE;
  }

  /** A realtime upgrade names its model in the query: {@code model}, or Azure's {@code deployment}. */
  private static Future<Verdict> realtime(RequestContext ctx) {
    String model;
    try {
      model = ctx.httpRequest().getParam("model");
      if (model == null || model.isBlank()) {
        model = ctx.httpRequest().getParam("deployment");
      }
    } catch (IllegalArgumentException malformed) {
      return Verdict.refuse(GatewayError.invalidParameter("model", "The query string is not valid percent-encoding."));
    }
    if (model == null || model.isBlank()) {
      return Verdict.refuse(GatewayError.invalidParameter("model",
          "A realtime session names its model in the query: ?model=... (or Azure's ?deployment=...)."));
    }
    ctx.model(model);
    return Verdict.CONTINUE_NOW;
  }

  private Verdict parse(RequestContext ctx, Buffer raw) {
    JsonNode parsed;
    try {
      BufferBytes bytes = BufferBytes.of(raw); // read in place, not copied
      parsed = Json.MAPPER.readTree(bytes.array(), bytes.offset(), bytes.length());
    } catch (JsonProcessingException e) {
      return new Verdict.Refuse(GatewayError.invalidJson(e.getOriginalMessage()));
    } catch (IOException e) {
      return new Verdict.Refuse(GatewayError.invalidJson("unreadable body"));
    }
    if (parsed == null || parsed.isMissingNode()) {
      return new Verdict.Refuse(GatewayError.invalidJson("the body is empty"));
    }
    if (!(parsed instanceof ObjectNode body)) {
      return new Verdict.Refuse(GatewayError.bodyNotObject());
    }
    nameEndUser(ctx, EndUser.fromBody(body));
    if (ctx.route().operation().storesObjects()) {
      // A batch runs the model its input file names ({@code objects} finds it), an upload goes where files go.
      ctx.parsedBody(body, raw);
      ctx.stream(false);
      return Verdict.CONTINUE;
    }
    String model;
    if (ctx.route().shape() == RouteShape.AZURE_CLASSIC) {
      model = ctx.route().pathParam().orElseThrow();
    } else {
      JsonNode m = body.get("model");
      if ((m == null || m.isNull()) && ctx.route().operation() == Operation.MODERATIONS) {
        m = body.textNode(DEFAULT_MODERATION_MODEL); // the model OpenAI uses when none is named
      }
      if (m == null || m.isNull() || (m.isTextual() && m.asText().isEmpty())) {
        return new Verdict.Refuse(GatewayError.missingModel());
      }
      if (!m.isTextual()) {
        return new Verdict.Refuse(GatewayError.invalidParameter("model", "model must be a string."));
      }
      model = m.asText();
    }
    JsonNode streamFlag = body.get("stream");
    if (streamFlag != null && !streamFlag.isNull() && !streamFlag.isBoolean()) {
      return new Verdict.Refuse(GatewayError.invalidParameter("stream", "stream must be a boolean."));
    }
    JsonNode messages = body.get("messages");
    if (messages != null && messages.isArray() && messages.size() > server.maxMessages()) {
      return new Verdict.Refuse(GatewayError.invalidParameter("messages",
          "A request may carry at most " + server.maxMessages() + " messages; this one has " + messages.size() + "."));
    }
    ctx.parsedBody(body, raw);
    ctx.model(model);
    ctx.stream(streamFlag != null && streamFlag.asBoolean(false) && ctx.route().operation().mayStream());
    return Verdict.CONTINUE;
  }

  /** The body's end user, unless the header already named one: a configured header wins. */
  private static void nameEndUser(RequestContext ctx, EndUser fromBody) {
    ctx.result().endUser(ctx.result().endUser().or(fromBody));
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("parse", Placement.REQUEST, 200, Set.of("authenticate"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new ParsePolicy(services.config().server());
    }
  }
}
