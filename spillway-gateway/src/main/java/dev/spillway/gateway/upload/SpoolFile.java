package dev.spillway.gateway.upload;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One spool file's life: created owner-only in the spool directory and opened for writing, closed once, deleted once.
 * Each step is asynchronous (Vert.x's file system runs it off the event loop) and may be asked for before the one
 * before it finished: {@link #delete()} waits for the file to be created and closed, whenever it is called.
 */
final class SpoolFile {
  private static final String PREFIX = "spillway-upload-";
  private static final String SUFFIX = ".spool";
  private static final String OWNER_ONLY = "rw-------";

  private final FileSystem fs;
  private final Future<AsyncFile> opened;
  private Path path;
  private Future<Void> closed;
  private Future<Void> deleted;

  private SpoolFile(Vertx vertx, Path directory) {
    this.fs = vertx.fileSystem();
    this.opened = fs.createTempFile(directory.toString(), PREFIX, SUFFIX, OWNER_ONLY)
        .compose(created -> {
          path = Path.of(created);
          SpoolFiles.track(path);
          return fs.open(created, new OpenOptions().setRead(false).setWrite(true).setCreate(false));
        });
  }

  /** Starts creating a spool file in {@code directory}. */
  static SpoolFile create(Vertx vertx, Path directory) {
    return new SpoolFile(vertx, directory);
  }

  /** The file open for writing, once created. */
  Future<AsyncFile> opened() {
    return opened;
  }

  /** Where the file is; null until it is created. */
  Path path() {
    return path;
  }

  /** Closes the file once its writes are done; the same future every call. */
  Future<Void> close() {
    if (closed == null) {
      closed = opened.compose(AsyncFile::close);
    }
    return closed;
  }

  /** Closes (if need be) and deletes the file; the same future every call. Succeeds when there is no file left. */
  Future<Void> delete() {
    if (deleted == null) {
      deleted = close().transform(ignored -> {
        if (path == null) {
          return Future.succeededFuture(); // never created
        }
        Path gone = path;
        return fs.delete(gone.toString()).transform(ar -> {
          if (ar.succeeded() || ar.cause() instanceof NoSuchFileException
              || ar.cause().getCause() instanceof NoSuchFileException) {
            SpoolFiles.forget(gone);
            return Future.<Void>succeededFuture();
          }
          return Future.<Void>failedFuture(ar.cause()); // still tracked: the shutdown hook tries again
        });
      });
    }
    return deleted;
  }
}
