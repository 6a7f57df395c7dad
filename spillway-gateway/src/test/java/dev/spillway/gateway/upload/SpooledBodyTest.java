package dev.spillway.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.multipart.BodySegment;
import dev.spillway.core.multipart.MultipartRewrite;
import dev.spillway.core.multipart.MultipartScanner;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.time.EventLoopScheduler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spooled upload sent on: streamed from its file, whole or with its {@code model} field rewritten, as often as it
 * takes, through real HTTP, with the heap no larger for a 100 MiB upload; and closing it closes what is still reading
 * and deletes the file.
 */
class SpooledBodyTest {
  private static final long MIB = 1 << 20;
  /** Most the heap may grow, after a forced GC, while a 100 MiB upload is spooled and sent back. */
  private static final long HEAP_GROWTH_BOUND = 16 * MIB;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** No timer fires unless moved: these tests are not about time. */
  private final ManualScheduler manual = new ManualScheduler(new ManualTicker());
  @TempDir Path dir;

  /** A spooled body handed to the test, with the request it came with and the event loop it is used on. */
  private record Held(HttpServerRequest request, SpooledBody body, Context context) {}

  @AfterEach
  void stop() throws IOException {
    try {
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.toList()).as("spool files left").isEmpty();
      }
    } finally {
      client.close();
      vertx.close().await();
    }
  }

  private SpoolingServer start(SpoolingServer.OnSpooled onSpooled) {
    return SpoolingServer.start(vertx, EventLoopScheduler.driving(manual),
        new SpoolOptions(dir, 200 * MIB, Duration.ofMinutes(10)), onSpooled);
  }

  private static HttpRequest upload(SpoolingServer server, GeneratedUpload upload) {
    return HttpRequest.newBuilder(URI.create(server.url("/v1/audio/transcriptions")))
        .header("content-type", GeneratedUpload.CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> upload))
        .build();
  }

  /**
   * Answers with the body as spooled, streamed from the file, then closes it (deleting the file) and ends: chunked, so
   * the client has the whole answer only once the file is gone.
   */
  private static void sendBack(HttpServerRequest req, SpooledBody body) {
    body.open()
        .onSuccess(stream -> {
          HttpServerResponse response = req.response().setChunked(true);
          stream.pipe().endOnComplete(false).to(response)
              .transform(sent -> body.close())
              .onComplete(closed -> response.end());
        })
        .onFailure(err -> body.close().onComplete(ar -> req.response().setStatusCode(500).end()));
  }

  @Test
  void aHundredMebibyteUploadIsSpooledAndSentBackByteIdenticalWithoutGrowingTheHeap() throws Exception {
    BlockingQueue<Held> spooled = new LinkedBlockingQueue<>();
    SpoolingServer server = start((req, body) -> spooled.add(new Held(req, body, Vertx.currentContext())));
    sendAndCompare(server, spooled, new GeneratedUpload(MIB, "whisper-1")); // warm up the path first
    long baseline = usedHeapAfterGc();

    GeneratedUpload upload = new GeneratedUpload(100 * MIB, "whisper-1", 7, 50 * MIB);
    var response = client.sendAsync(upload(server, upload), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(upload.stopped.await(1, TimeUnit.MINUTES)).isTrue();
    BodySpoolerTest.await("the spool file holds most of the first half", () -> spoolSize() >= 45 * MIB);
    long halfway = usedHeapAfterGc() - baseline;
    upload.goOn.countDown();
    Held held = spooled.poll(2, TimeUnit.MINUTES);
    assertThat(held).as("spooled").isNotNull();
    long whole = usedHeapAfterGc() - baseline;

    MultipartScanner.Result form = held.body().form();
    assertThat(held.body().size()).isEqualTo(upload.length());
    assertThat(form.parts()).extracting(MultipartScanner.Part::name).containsExactly("file", "model", "response_format");
    assertThat(form.parts().getFirst().size()).isEqualTo(100 * MIB);
    assertThat(form.field("model")).contains("whisper-1");
    held.context().runOnContext(v -> sendBack(held.request(), held.body()));
    HttpResponse<InputStream> r = response.get(2, TimeUnit.MINUTES);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sha256(r.body())).isEqualTo(upload.bodySha256());
    long after = usedHeapAfterGc() - baseline;

    assertThat(List.of(halfway, whole, after))
        .as("heap growth (bytes) halfway %d, spooled %d, sent back %d", halfway, whole, after)
        .allSatisfy(growth -> assertThat(growth).isLessThan(HEAP_GROWTH_BOUND));
  }

  private void sendAndCompare(SpoolingServer server, BlockingQueue<Held> spooled, GeneratedUpload upload)
      throws Exception {
    var response = client.sendAsync(upload(server, upload), HttpResponse.BodyHandlers.ofInputStream());
    Held held = spooled.poll(1, TimeUnit.MINUTES);
    assertThat(held).as("spooled").isNotNull();
    held.context().runOnContext(v -> sendBack(held.request(), held.body()));
    assertThat(sha256(response.get(1, TimeUnit.MINUTES).body())).isEqualTo(upload.bodySha256());
  }

  @Test
  void theRewrittenFormGoesToBackendsAgainAndAgainWithTheSameFileBytes() throws Exception {
    AtomicInteger brokenCalls = new AtomicInteger();
    HttpServer broken = vertx.createHttpServer()
        .requestHandler(req -> req.exceptionHandler(err -> {}).handler(chunk -> {
          if (brokenCalls.incrementAndGet() == 1) {
            req.connection().close(); // a backend that goes away mid-upload
          }
        }))
        .listen(0, "127.0.0.1").await();
    HttpServer backend = vertx.createHttpServer().requestHandler(SpooledBodyTest::readForm).listen(0, "127.0.0.1")
        .await();
    HttpClientAgent http = vertx.createHttpClient();
    SpoolingServer server = start((req, body) -> {
      List<BodySegment> renamed =
          MultipartRewrite.withField(body.form(), "model", "whisper-deployment-7").orElseThrow();
      forward(http, broken.actualPort(), body, renamed)
          .transform(first -> first.failed() ? forward(http, backend.actualPort(), body, renamed)
              : Future.failedFuture("the broken backend answered"))
          .compose(second -> forward(http, backend.actualPort(), body, MultipartRewrite.whole(body.form()))
              .map(third -> new JsonArray().add(second).add(third)))
          .eventually(body::close)
          .onComplete(sent -> {
            if (sent.succeeded()) {
              req.response().end(sent.result().encode());
            } else {
              req.response().setStatusCode(500).end(String.valueOf(sent.cause()));
            }
          });
    });
    GeneratedUpload upload = new GeneratedUpload(3 * MIB + 17, "whisper-1");

    HttpResponse<String> r = client.send(upload(server, upload), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(brokenCalls.get()).isPositive();
    JsonArray sent = new JsonArray(r.body());
    JsonObject rewritten = sent.getJsonObject(0);
    JsonObject asReceived = sent.getJsonObject(1);
    assertThat(rewritten.getString("model")).isEqualTo("whisper-deployment-7");
    assertThat(asReceived.getString("model")).isEqualTo("whisper-1");
    for (JsonObject seen : List.of(rewritten, asReceived)) {
      assertThat(seen.getString("response_format")).isEqualTo("json");
      assertThat(seen.getString("filename")).isEqualTo("speech.wav");
      assertThat(seen.getLong("size")).isEqualTo(3 * MIB + 17);
      assertThat(seen.getString("sha256")).isEqualTo(upload.fileSha256());
    }
  }

  /** Sends the segments to a backend, streamed from the spool file; a stream abandoned on failure is closed. */
  private static Future<JsonObject> forward(HttpClientAgent http, int port, SpooledBody body, List<BodySegment> segments) {
    return body.open(segments).compose(stream -> http.request(HttpMethod.POST, port, "127.0.0.1", "/v1/audio/transcriptions")
        .compose(request -> request
            .putHeader("content-type", GeneratedUpload.CONTENT_TYPE)
            .putHeader("content-length", String.valueOf(stream.length()))
            .send(stream))
        .compose(HttpClientResponse::body)
        .map(Buffer::toJsonObject)
        .onFailure(err -> stream.close()));
  }

  /** A backend that reads the form with Vert.x's own multipart decoder: what it saw of the fields and the file. */
  private static void readForm(HttpServerRequest req) {
    req.setExpectMultipart(true);
    MessageDigest digest = GeneratedUpload.sha256();
    JsonObject seen = new JsonObject().put("size", 0L);
    req.uploadHandler(upload -> {
      seen.put("filename", upload.filename());
      upload.handler(chunk -> {
        digest.update(chunk.getBytes());
        seen.put("size", seen.getLong("size") + chunk.length());
      });
    });
    req.endHandler(v -> req.response().end(seen
        .put("model", req.getFormAttribute("model"))
        .put("response_format", req.getFormAttribute("response_format"))
        .put("sha256", HexFormat.of().formatHex(digest.digest()))
        .encode()));
  }

  @Test
  void closingTheBodyClosesAStreamStillReadingAndDeletesTheFile() throws Exception {
    SpoolingServer server = start((req, body) -> {
      JsonObject seen = new JsonObject();
      try {
        body.open(List.of(new BodySegment.Range(0, body.size() + 1)));
      } catch (IllegalArgumentException e) {
        seen.put("pastTheEnd", "refused");
      }
      Path path = body.path();
      body.open().onSuccess(stream -> stream.handler(chunk -> {
        stream.pause(); // a reader that stops after the first chunk, as an upstream that failed would
        seen.put("read", chunk.length());
        body.close()
            .compose(closed -> {
              seen.put("exists", Files.exists(path)).put("live", SpoolFiles.isLive(path));
              return body.open();
            })
            .onComplete(reopened -> req.response().end(seen.put("reopened", reopened.succeeded()).encode()));
      }));
    });

    HttpResponse<String> r = client.send(upload(server, new GeneratedUpload(MIB, "whisper-1")),
        HttpResponse.BodyHandlers.ofString());

    JsonObject seen = new JsonObject(r.body());
    assertThat(seen.getString("pastTheEnd")).isEqualTo("refused");
    assertThat(seen.getInteger("read")).isEqualTo(SegmentStream.CHUNK_BYTES);
    assertThat(seen.getBoolean("exists")).isFalse();
    assertThat(seen.getBoolean("live")).isFalse();
    assertThat(seen.getBoolean("reopened")).isFalse();
  }

  private long spoolSize() {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      return all.size() == 1 ? Files.size(all.getFirst()) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest digest = GeneratedUpload.sha256();
    try (in) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
