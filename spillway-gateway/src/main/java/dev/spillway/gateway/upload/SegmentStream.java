package dev.spillway.gateway.upload;

import dev.spillway.core.multipart.BodySegment;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;
import java.io.EOFException;
import java.util.List;

/**
 * A spooled body as a stream of buffers for an upstream request: the spool file's byte ranges, read through a handle of
 * its own in chunks of {@link #CHUNK_BYTES}, and literal bytes, in order. One read is in flight at most, and only while
 * the reader asks for more ({@link #pause()}, {@link #fetch(long)}; a pipe does this), so memory stays at a chunk or
 * two whatever the size of the body. Like other Vert.x streams it flows once it has a handler,
 * unless paused; it delivers nothing from inside a call to it: every buffer
 * comes from the event loop, so a reader may set its handlers in any order. The file handle is closed at the end, on
 * an error (a failed read, or a handler that throws: the exception handler is told), or by {@link #close()}.
 *
 * <p>Not thread-safe: used on the event loop it was opened on.
 */
public final class SegmentStream implements ReadStream<Buffer> {
  /** Bytes read from the file at a time. */
  public static final int CHUNK_BYTES = 64 * 1024;

  private final Context context;
  private final AsyncFile file;
  private final List<BodySegment> segments;
  private final Handler<SegmentStream> onClose;
  private final long length;

  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private int index;
  private long done; // bytes of segments.get(index) already delivered
  private boolean reading;
  private boolean pumpScheduled;
  private boolean finished;
  private Future<Void> closing;

  SegmentStream(Context context, AsyncFile file, List<BodySegment> segments, Handler<SegmentStream> onClose) {
    this.context = context;
    this.file = file;
    this.segments = segments;
    this.onClose = onClose;
    this.length = segments.stream().mapToLong(BodySegment::length).sum();
  }

  /** Bytes the stream delivers in all: the upstream request's Content-Length. */
  public long length() {
    return length;
  }

  @Override
  public SegmentStream handler(Handler<Buffer> value) {
    handler = value;
    schedulePump();
    return this;
  }

  @Override
  public SegmentStream endHandler(Handler<Void> value) {
    endHandler = value;
    return this;
  }

  @Override
  public SegmentStream exceptionHandler(Handler<Throwable> value) {
    exceptionHandler = value;
    return this;
  }

  @Override
  public SegmentStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public SegmentStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public SegmentStream fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("negative fetch: " + amount);
    }
    demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
    schedulePump();
    return this;
  }

  /** Stops the stream, if it has not ended, and closes its file handle; the same future every call. */
  public Future<Void> close() {
    finished = true;
    if (closing == null) {
      closing = file.close();
      onClose.handle(this);
    }
    return closing;
  }

  private void schedulePump() {
    if (!pumpScheduled && !finished) {
      pumpScheduled = true;
      context.runOnContext(v -> {
        pumpScheduled = false;
        pump();
      });
    }
  }

  /** Delivers while there is demand: literals at once, a range chunk by chunk through one read at a time. */
  private void pump() {
    while (!reading && !finished && handler != null && demand > 0) {
      if (index == segments.size()) {
        finished = true;
        close();
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      switch (segments.get(index)) {
        case BodySegment.Literal literal -> {
          index++;
          deliver(Buffer.buffer(literal.bytes()));
        }
        case BodySegment.Range range -> {
          long remaining = range.length() - done;
          if (remaining == 0) {
            index++;
            done = 0;
            continue;
          }
          int want = (int) Math.min(CHUNK_BYTES, remaining);
          reading = true;
          file.read(Buffer.buffer(want), 0, range.start() + done, want).onComplete(ar -> {
            reading = false;
            if (finished) {
              return;
            }
            if (ar.failed() || ar.result().length() == 0) {
              fail(ar.failed() ? ar.cause() : new EOFException("the spool file ends before the body does"));
              return;
            }
            done += ar.result().length();
            deliver(ar.result());
            pump();
          });
        }
      }
    }
  }

  private void deliver(Buffer buffer) {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    try {
      handler.handle(buffer);
    } catch (RuntimeException e) {
      // The reader cannot take it (a pipe into a request its connection already failed): the stream ends with that.
      fail(e);
    }
  }

  private void fail(Throwable failure) {
    close();
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    }
  }
}
