package dev.spillway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Free loopback ports and waiting for a freshly started process to answer. */
final class Loopback {
  // HTTP/1.1 only: the JDK client's default h2c upgrade headers make Portkey's Node fetch fail (500).
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

  private Loopback() {}

  /** A port nobody listens on right now (the OS's pick), for a process about to bind it. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /**
   * Polls {@code GET url} every 5 ms until it answers 200; returns the nanoseconds waited.
   *
   * @throws IllegalStateException naming {@code child} and its log tail when it exits or {@code
   *     timeout} passes first
   */
  static long awaitOk(String url, ChildProcess child, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() - deadline < 0) {
      if (!child.alive()) {
        throw new IllegalStateException(child.name() + " exited while starting:\n" + child.logTail(2000));
      }
      try {
        if (HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return System.nanoTime() - start;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(child.name() + " did not answer " + url + " within " + timeout + ":\n" + child.logTail(2000));
  }

  /**
   * POSTs {@code body} to {@code target} until one answer is 200, so the first slow request of a
   * cold process (class loading, the tokenizer's tables) is not measured.
   *
   * @throws IllegalStateException when none succeeds within {@code timeout}
   */
  static void prime(LoadTarget target, String body, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() - deadline < 0) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(target.url())).timeout(timeout).header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      target.headers().forEach(req::header);
      try {
        HttpResponse<String> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() == 200) {
          return;
        }
        last = resp.statusCode() + " " + resp.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(target.name() + " never answered 200 at " + target.url() + ": " + last);
  }
}
