package dev.spillway.gateway.credentials;

import dev.spillway.core.config.BackendType;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An API key in a file, typically a mounted Kubernetes or Docker secret. Read asynchronously,
 * trimmed, and used for at most {@link #MAX_AGE} before being read again, so a rotated secret is
 * picked up without a restart (and at once after a 401, through {@code invalidate}).
 */
final class ApiKeyFileSource implements CredentialSource {
  static final Duration MAX_AGE = Duration.ofSeconds(60);
  /** Anything larger is not an API key; refusing it keeps a wrong path from being sent upstream. */
  static final int MAX_BYTES = 16 * 1024;

  private final FileSystem fileSystem;
  private final Path path;
  private final BackendType type;
  private final Ticker ticker;

  ApiKeyFileSource(FileSystem fileSystem, Path path, BackendType type, Ticker ticker) {
    this.fileSystem = fileSystem;
    this.path = path;
    this.type = type;
    this.ticker = ticker;
  }

  @Override
  public Future<CachedCredential> fetch() {
    long startedAt = ticker.read();
    return fileSystem
        .readFile(path.toString())
        .recover(
            failure ->
                Future.failedFuture(
                    new CredentialUnavailableException(
                        "cannot read api key file " + path + " (" + rootCauseName(failure) + ")", failure)))
        .compose(content -> toCredential(content, startedAt));
  }

  private Future<CachedCredential> toCredential(Buffer content, long startedAt) {
    if (content.length() > MAX_BYTES) {
      return unusable("is larger than " + MAX_BYTES + " bytes");
    }
    String key = content.toString(StandardCharsets.UTF_8).strip();
    if (key.startsWith("\uFEFF")) {
      key = key.substring(1).strip();
    }
    if (key.isEmpty()) {
      return unusable("is empty");
    }
    if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return unusable("must hold the key alone, on one line, in printable ASCII without spaces");
    }
    return Future.succeededFuture(CachedCredential.readFor(CredentialHeader.apiKey(type, key), startedAt, MAX_AGE));
  }

  private Future<CachedCredential> unusable(String why) {
    return Future.failedFuture(new CredentialUnavailableException("api key file " + path + " " + why));
  }

  private static String rootCauseName(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }

  @Override
  public String toString() {
    return "apiKeyFile=" + path;
  }
}
