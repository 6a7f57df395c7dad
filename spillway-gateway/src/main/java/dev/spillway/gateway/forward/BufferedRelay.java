package dev.spillway.gateway.forward;

import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.http.GatewayHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.OptionalLong;

/**
 * Passes a backend's complete (not streamed) answer to the client: read whole, checked (a 2xx must be one JSON object,
 * else the attempt failed and the next backend is tried), its {@code usage} read without building a tree, then sent
 * with the backend's returnable headers and the gateway's own.
 */
final class BufferedRelay {
  private BufferedRelay() {}

  static void relay(UpstreamAttempt attempt, HttpClientResponse resp) {
    int status = resp.statusCode();
    resp.body()
        .onComplete(
            ar -> {
              if (attempt.done()) {
                return;
              }
              if (ar.failed()) {
                attempt.failedReading(ar.cause(), status);
                return;
              }
              Buffer body = ar.result();
              ResponseBodies.Scan scan = ResponseBodies.scan(body.getBytes());
              boolean success = status >= 200 && status < 300;
              if (success && !scan.validJson()) {
                attempt.failedReading(null, status);
                return;
              }
              RetryLoop loop = attempt.loop;
              scan.usage().ifPresent(u -> loop.clientResponse.putHeader(GatewayHeaders.TOKENS_CONSUMED, Long.toString(u.totalTokens())));
              loop.writeHead(status, resp.headers(), attempt.config.id());
              attempt.ended(success ? AttemptResult.OK : AttemptResult.CLIENT_ERROR, status);
              if (success) {
                attempt.succeeded(-1, scan.usage());
              }
              loop.complete(status, attempt.config, scan.usage(), OptionalLong.empty(), false, () -> loop.endIfOpen(body));
            });
  }
}
