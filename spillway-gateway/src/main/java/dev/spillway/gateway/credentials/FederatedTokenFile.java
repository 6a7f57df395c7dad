package dev.spillway.gateway.credentials;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The Kubernetes service-account token that AKS workload identity projects into the pod ({@code
 * AZURE_FEDERATED_TOKEN_FILE}). Read anew for every exchange, because the kubelet rotates it; its
 * content is a secret and never appears in a message.
 */
final class FederatedTokenFile implements ClientAssertion {
  /** A projected token is one JWT of a few KiB. */
  static final int MAX_BYTES = 64 * 1024;

  private final FileSystem fileSystem;
  private final Path path;

  FederatedTokenFile(FileSystem fileSystem, Path path) {
    this.fileSystem = fileSystem;
    this.path = path;
  }

  @Override
  public Future<String> next() {
    return fileSystem
        .readFile(path.toString())
        .recover(
            failure ->
                Future.failedFuture(
                    new CredentialUnavailableException(
                        "cannot read workload identity token file " + path + " (" + rootCauseName(failure) + ")", failure)))
        .compose(this::token);
  }

  private Future<String> token(Buffer content) {
    if (content.length() > MAX_BYTES) {
      return unusable("is larger than " + MAX_BYTES + " bytes");
    }
    String token = content.toString(StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      return unusable("is empty");
    }
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return unusable("must hold one token in printable ASCII without spaces");
    }
    return Future.succeededFuture(token);
  }

  private Future<String> unusable(String why) {
    return Future.failedFuture(new CredentialUnavailableException("workload identity token file " + path + " " + why));
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
    return "workloadIdentity[tokenFile=" + path + "]";
  }
}
