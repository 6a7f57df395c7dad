package dev.spillway.gateway.upload;

import dev.spillway.core.multipart.BodySegment;
import dev.spillway.core.multipart.MultipartRewrite;
import dev.spillway.core.multipart.MultipartScanner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An upload spooled to a file, with the form read from it: sent to a backend as many times as it takes (retries, spill
 * to another backend), each time streamed from the file through a handle of its own, whole or rewritten (a
 * {@link MultipartRewrite} of its {@code model} field for a backend that names models in the body). {@link #close()}
 * deletes the file; until then it is also deleted if the JVM stops.
 *
 * <p>Not thread-safe: used on the request's event loop.
 */
public final class SpooledBody {
  private final Vertx vertx;
  private final SpoolFile spool;
  private final long size;
  private final MultipartScanner.Result form;
  private final Set<SegmentStream> streams = new HashSet<>();
  private boolean closed;

  SpooledBody(Vertx vertx, SpoolFile spool, long size, MultipartScanner.Result form) {
    this.vertx = vertx;
    this.spool = spool;
    this.size = size;
    this.form = form;
  }

  /** The spool file (owner-only, in the spool directory). */
  public Path path() {
    return spool.path();
  }

  /** Bytes in the body. */
  public long size() {
    return size;
  }

  /** The form read from the body: its parts and small fields. Complete. */
  public MultipartScanner.Result form() {
    return form;
  }

  /** A stream of the body as received. */
  public Future<SegmentStream> open() {
    return open(MultipartRewrite.whole(form));
  }

  /**
   * A stream of the given segments: the file's byte ranges and literal bytes, in order. Call on the event loop the
   * stream is to be read on. The caller closes it if it stops reading before its end
   * ({@link #close()} closes any left open).
   *
   * @param segments ranges within the body ({@code end <= size()}) and literals
   * @throws IllegalArgumentException for a range past the body's end
   */
  public Future<SegmentStream> open(List<BodySegment> segments) {
    for (BodySegment segment : segments) {
      if (segment instanceof BodySegment.Range r && r.end() > size) {
        throw new IllegalArgumentException("a range past the body's " + size + " bytes: " + r);
      }
    }
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the spooled body is closed"));
    }
    List<BodySegment> copy = List.copyOf(segments);
    return vertx.fileSystem()
        .open(path().toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .compose(file -> {
          if (closed) {
            return file.close()
                .transform(ar -> Future.failedFuture(new IllegalStateException("the spooled body is closed")));
          }
          SegmentStream stream = new SegmentStream(vertx.getOrCreateContext(), file, copy, streams::remove);
          streams.add(stream);
          return Future.succeededFuture(stream);
        });
  }

  /** Closes the streams still open and deletes the file. Calling it again does no harm. */
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (SegmentStream stream : List.copyOf(streams)) {
      closing.add(stream.close());
    }
    return Future.join(closing).transform(ar -> spool.delete());
  }
}
