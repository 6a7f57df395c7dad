package dev.spillway.gateway.pipeline;

import dev.spillway.core.batch.BatchInputScan;
import dev.spillway.gateway.upload.BodySpooler;
import dev.spillway.gateway.upload.SpooledBody;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * A request's multipart body (an audio file, an image to edit) as it is spooled to disk rather than held in memory:
 * read once by {@code parse}, streamed to each backend tried, and deleted when the request is finished — whether it
 * was answered, refused or abandoned ({@link #release()}, called by the pipeline). Not thread-safe: one request's
 * event loop.
 */
public final class Upload {
  /**
   * A batch input file's scan (set by {@code fileModel}): where each line names its model, rewritten for each backend
   * the upload goes to.
   */
  public static final AttributeKey<BatchInputScan.Result> BATCH_INPUT =
      AttributeKey.of("batchInput", BatchInputScan.Result.class);

  private final BodySpooler spooler;
  private SpooledBody body;
  private boolean released;

  public Upload(BodySpooler spooler) {
    this.spooler = spooler;
  }

  /** What spooling gave; a spooled body is kept here, and deleted by {@link #release()}. */
  public Future<BodySpooler.Read> read() {
    return spooler.read().map(read -> {
      if (read instanceof BodySpooler.Read.Spooled spooled) {
        if (released) {
          spooled.body().close();
        } else {
          body = spooled.body();
        }
      }
      return read;
    });
  }

  /** The spooled body, once {@link #read()} gave one. */
  public Optional<SpooledBody> body() {
    return Optional.ofNullable(body);
  }

  /** The request was answered without its body: what still arrives is dropped. */
  public void discard() {
    spooler.discard();
  }

  /** The request is finished: the spool file goes. Idempotent. */
  public void release() {
    if (released) {
      return;
    }
    released = true;
    if (body != null) {
      body.close();
    } else {
      spooler.discard();
    }
  }
}
