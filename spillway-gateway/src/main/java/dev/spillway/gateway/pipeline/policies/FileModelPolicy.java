package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.api.Operation;
import dev.spillway.core.batch.BatchInputScan;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.multipart.MultipartScanner;
import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.Upload;
import dev.spillway.gateway.pipeline.Verdict;
import dev.spillway.gateway.upload.SpooledBody;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code fileModel}: which model, and so which backends, a file upload ({@code POST /files}) goes to. A file lives on
 * one backend, and what is later done with it happens there:
 *
 * <ul>
 *   <li>a <b>batch input file</b> ({@code purpose=batch}) is read once, off the event loop ({@link BatchInputScan}):
 *       its requests name their model, which must be one model the caller may use, and the upload is routed as a call
 *       of that model (PTU first, spilling like any call). Each line's {@code body.model} is then rewritten, on the way
 *       out, to the deployment name of the backend that takes the file ({@link Upload#BATCH_INPUT} holds where those values
 *       stand), so the batch created on it runs there;
 *   <li>any other file, and an upload in parts ({@code POST /uploads}), goes to the first configured model the caller
 *       may use.
 * </ul>
 *
 * <p>A file whose lines are not batch requests, or name two models, is refused {@code 400} with the line.
 */
public final class FileModelPolicy implements Policy {
  /** The longest line of a batch input file the gateway reads (a request with images inline can be long). */
  static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final Map<String, Pool> pools;
  private final Vertx vertx;

  FileModelPolicy(Map<String, Pool> pools, Vertx vertx) {
    this.pools = pools;
    this.vertx = vertx;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    if (ctx.route().operation() == Operation.UPLOADS_CREATE) {
      return upload(ctx);
    }
    if (ctx.route().operation() == Operation.VECTOR_STORES_CREATE) {
      // A store made from files lives where they are ({@code objects} binds it); an empty one where files go.
      boolean namesFiles = ctx.json() != null && ctx.json().path("file_ids").size() > 0;
      return namesFiles ? Verdict.CONTINUE_NOW : home(ctx, "file_ids");
    }
    if (ctx.route().operation() != Operation.FILES_CREATE) {
      return Verdict.CONTINUE_NOW;
    }
    Optional<SpooledBody> spooled = ctx.upload().flatMap(Upload::body);
    if (spooled.isEmpty()) {
      return Verdict.CONTINUE_NOW; // parse answered already
    }
    MultipartScanner.Result form = spooled.get().form();
    String purpose = form.field("purpose").map(String::strip).orElse("");
    if (purpose.isEmpty()) {
      return Verdict.refuse(GatewayError.invalidParameter("purpose",
          "A file upload names its purpose in the form field 'purpose' (batch, assistants, user_data, ...)."));
    }
    Optional<MultipartScanner.Part> file =
        form.parts().stream().filter(p -> p.isFile() && p.name().equals("file")).findFirst();
    if (file.isEmpty()) {
      return Verdict.refuse(GatewayError.invalidParameter("file", "A file upload carries its file in the form part 'file'."));
    }
    if (!purpose.equals("batch")) {
      return home(ctx, "file");
    }
    SpooledBody body = spooled.get();
    MultipartScanner.Part part = file.get();
    return vertx.<BatchInputScan.Result>executeBlocking(() -> {
      try (InputStream in = Files.newInputStream(body.path())) {
        in.skipNBytes(part.bodyStart());
        return BatchInputScan.scan(in, part.bodyStart(), part.size(), MAX_LINE_BYTES);
      }
    }).map(scan -> {
      if (!scan.ok()) {
        return (Verdict) new Verdict.Refuse(GatewayError.invalidParameter("file",
            "The batch input file cannot be used: " + scan.problem().orElse("") + "."));
      }
      ctx.attribute(Upload.BATCH_INPUT, scan);
      ctx.model(scan.model().orElseThrow());
      return Verdict.CONTINUE;
    }).otherwise(e -> new Verdict.Refuse(GatewayError.uploadUnavailable()));
  }

  /**
   * An upload in parts ({@code POST /uploads}) goes where other files go. Its content is not seen until its parts
   * arrive, so a batch input file, whose lines must be renamed for the backend, is refused: it is sent with {@code
   * POST /files}, which streams any size.
   */
  private Future<Verdict> upload(RequestContext ctx) {
    String purpose = ctx.json() == null ? "" : ctx.json().path("purpose").asText("");
    if (purpose.equals("batch")) {
      return Verdict.refuse(GatewayError.invalidParameter("purpose",
          "A batch input file is uploaded with POST /files (any size): the gateway maps the model its lines name to"
              + " the backend's deployment, which it cannot do for a file sent in parts."));
    }
    return home(ctx, "purpose");
  }

  /** The first configured model the caller may use: where a file without a model of its own is stored. */
  private Future<Verdict> home(RequestContext ctx, String param) {
    return pools.keySet().stream().filter(ctx.principal()::mayUse).findFirst()
        .map(model -> {
          ctx.model(model);
          return Verdict.CONTINUE_NOW;
        })
        .orElseGet(() -> Verdict.refuse(GatewayError.invalidParameter(param,
            "You may use no model, so there is no backend to store a file on.")));
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("fileModel", Placement.REQUEST, 220, Set.of("authenticate", "parse"), Set.of("authorizeModel"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new FileModelPolicy(services.pools(), services.vertx());
    }
  }
}
