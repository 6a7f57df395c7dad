package dev.spillway.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;

/** The one request every Java load generator here sends: a JSON POST, its whole answer read, its status returned. */
final class JsonPost {
  private JsonPost() {}

  /**
   * POSTs {@code body} to {@code url} with {@code content-type: application/json} and {@code headers}; completes with
   * the status once the answer's body has been read (in the send's own callback, so the response cannot end unseen).
   */
  static Future<Integer> send(HttpClient client, String url, Map<String, String> headers, Buffer body) {
    return post(client, url, headers, body).map(Answer::status);
  }

  /**
   * An answer as read: its status, headers and whole body.
   *
   * @param response the response, its body already consumed (status and headers remain readable)
   * @param body the body
   */
  record Answer(HttpClientResponse response, Buffer body) {
    int status() {
      return response.statusCode();
    }
  }

  /** As {@link #send}, completing with the whole answer for a caller that needs its headers or body. */
  static Future<Answer> post(HttpClient client, String url, Map<String, String> headers, Buffer body) {
    return client
        .request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url))
        .compose(
            req -> {
              req.putHeader("content-type", "application/json");
              headers.forEach(req::putHeader);
              return req.send(body).compose(resp -> resp.body().map(b -> new Answer(resp, b)));
            });
  }
}
