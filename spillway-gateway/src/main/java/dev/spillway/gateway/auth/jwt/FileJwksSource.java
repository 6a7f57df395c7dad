package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * A JWKS kept in a local file, read with the Vert.x async file system. A load first looks at the
 * file's modification time and size and re-reads the content only when either changed; how often
 * loads happen is up to {@link JwksCache}.
 */
final class FileJwksSource implements JwksSource {
  private record Loaded(long modifiedMillis, long sizeBytes, JWKSet keys) {}

  private final Vertx vertx;
  private final Path path;
  private volatile Loaded last;

  FileJwksSource(Vertx vertx, Path path) {
    this.vertx = vertx;
    this.path = path;
  }

  @Override
  public Future<JWKSet> load() {
    String file = path.toString();
    return vertx
        .fileSystem()
        .props(file)
        .compose(
            props -> {
              Loaded previous = last;
              if (previous != null && unchanged(previous, props)) {
                return Future.succeededFuture(previous.keys());
              }
              return vertx
                  .fileSystem()
                  .readFile(file)
                  .compose(
                      content -> {
                        try {
                          JWKSet keys = JwksSource.parsePublic(content.toString(StandardCharsets.UTF_8));
                          last = new Loaded(props.lastModifiedTime(), props.size(), keys);
                          return Future.succeededFuture(keys);
                        } catch (ParseException e) {
                          return Future.failedFuture("JWKS file is not valid: " + e.getMessage());
                        }
                      });
            });
  }

  private static boolean unchanged(Loaded previous, FileProps props) {
    return previous.modifiedMillis() == props.lastModifiedTime() && previous.sizeBytes() == props.size();
  }

  @Override
  public String describe() {
    return path.toString();
  }
}
