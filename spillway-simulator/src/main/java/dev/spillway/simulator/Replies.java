package dev.spillway.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The ways the simulator ends an exchange: a JSON body now or after a simulated delay, an
 * Azure-shaped error, or a dropped connection. Stateless; call on the request's event loop.
 */
final class Replies {
  static final String APPLICATION_JSON = "application/json";

  private Replies() {}

  /** Sends {@code body} as JSON with {@code status}. */
  static void send(HttpServerResponse res, int status, String body) {
    res.setStatusCode(status).putHeader("content-type", APPLICATION_JSON).end(body);
  }

  /** Sends {@code {"error":{"code":code,"message":message}}} with {@code status}. */
  static void error(HttpServerResponse res, int status, String code, String message) {
    send(res, status, AzureErrors.body(code, message));
  }

  /** Sends the 400 for a body the simulator refuses. */
  static void badRequest(HttpServerResponse res, InvalidRequestException e) {
    send(res, 400, AzureErrors.invalidRequest(e.getMessage(), e.param()));
  }

  /** Drops the exchange without an answer: resets the HTTP/2 stream, or closes the HTTP/1 connection. */
  static void reset(HttpServerRequest req) {
    if (req.version() == HttpVersion.HTTP_2) {
      req.response().reset();
    } else {
      req.connection().close();
    }
  }

  /** Sends {@code body} as JSON 200 after {@code delayNanos}, unless the client leaves first. */
  static void replyAfter(Vertx vertx, HttpServerRequest req, long delayNanos, String body) {
    HttpServerResponse res = req.response();
    res.setStatusCode(200).putHeader("content-type", APPLICATION_JSON);
    if (delayNanos <= 0) {
      res.end(body);
      return;
    }
    long timer = vertx.setTimer(Math.max(1, (delayNanos + 999_999) / 1_000_000), id -> {
      if (!res.closed() && !res.ended()) {
        res.end(body);
      }
    });
    res.closeHandler(v -> vertx.cancelTimer(timer));
  }
}
