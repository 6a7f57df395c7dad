package dev.spillway.gateway.upload;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.multipart.MultipartScanner;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.core.time.Scheduler;
import dev.spillway.gateway.time.EventLoopScheduler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spooling through real HTTP: each outcome of {@link BodySpooler} for uploads from a real client (or a raw socket, for
 * what a client library will not do), and after each test no spool file is left in the spool directory.
 */
class BodySpoolerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final ManualScheduler manual = new ManualScheduler(new ManualTicker());
  private final Scheduler scheduler = EventLoopScheduler.driving(manual);
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;
  private SpoolingServer server;

  @AfterEach
  void stop() throws IOException {
    try {
      assertThat(spoolFiles()).as("spool files left").isEmpty();
    } finally {
      client.close();
      vertx.close().await();
    }
  }

  /** Answers with what the spooled body held, after closing it. */
  private static void describeAndClose(io.vertx.core.http.HttpServerRequest req, SpooledBody body) {
    JsonObject about = new JsonObject()
        .put("size", body.size())
        .put("model", body.form().field("model").orElse(null))
        .put("file", body.form().parts().getFirst().size())
        .put("live", SpoolFiles.isLive(body.path()))
        .put("path", body.path().toString());
    try {
      about.put("perms", PosixFilePermissions.toString(Files.getPosixFilePermissions(body.path())));
    } catch (IOException e) {
      about.put("perms", e.toString());
    }
    body.close().onComplete(ar -> req.response().end(about.put("closed", ar.succeeded()).encode()));
  }

  private SpoolingServer start(long maxBytes) {
    server = SpoolingServer.start(vertx, scheduler, new SpoolOptions(dir, maxBytes, TIMEOUT),
        BodySpoolerTest::describeAndClose);
    return server;
  }

  private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.url("/v1/audio/transcriptions")))
        .header("content-type", GeneratedUpload.CONTENT_TYPE)
        .POST(body)
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void spoolsAnUploadOwnerOnlyAndFindsTheModelAfterTheFile() throws Exception {
    start(10 << 20);
    GeneratedUpload upload = new GeneratedUpload(300_000, "whisper-1");

    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofInputStream(() -> upload)); // chunked

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject about = new JsonObject(r.body());
    assertThat(about.getLong("size")).isEqualTo(upload.length());
    assertThat(about.getString("model")).isEqualTo("whisper-1");
    assertThat(about.getLong("file")).isEqualTo(300_000);
    assertThat(about.getString("perms")).isEqualTo("rw-------");
    assertThat(about.getBoolean("live")).as("deleted at exit if not closed first").isTrue();
    assertThat(about.getBoolean("closed")).isTrue();
    Path path = Path.of(about.getString("path"));
    assertThat(path.getParent()).isEqualTo(dir);
    assertThat(path).doesNotExist();
    assertThat(SpoolFiles.isLive(path)).isFalse();
    assertThat(server.nextOutcome().result()).isInstanceOf(BodySpooler.Read.Spooled.class);
  }

  @Test
  void aBodyDeclaredTooLargeIsRefusedWithoutAFile() throws Exception {
    // A spool directory that is not there: had a file been tried for this body, the outcome would be Unavailable.
    server = SpoolingServer.start(vertx, scheduler, new SpoolOptions(dir.resolve("missing"), 1 << 20, TIMEOUT),
        BodySpoolerTest::describeAndClose);
    byte[] body = new GeneratedUpload(2 << 20, "whisper-1").readAllBytes();

    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(body));

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(server.nextOutcome().result()).isInstanceOf(BodySpooler.Read.TooLarge.class);
  }

  @Test
  void aBodyThatGrowsTooLargeIsRefusedAndItsFileDeleted() throws Exception {
    start(1 << 20);

    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofInputStream(
        () -> new GeneratedUpload(3 << 20, "whisper-1"))); // chunked: no length declared

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(server.nextOutcome().result()).isInstanceOf(BodySpooler.Read.TooLarge.class);
    assertThat(spoolFiles()).isEmpty(); // deleted before the outcome was delivered
  }

  @Test
  void aClientTooSlowTimesOutOnTheInjectedClock() throws Exception {
    start(10 << 20);
    byte[] body = new GeneratedUpload(100_000, "whisper-1").readAllBytes();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head(body.length));
      socket.getOutputStream().write(body, 0, 50_000); // and then nothing
      socket.getOutputStream().flush();
      await("the spool file has the first bytes", () -> spoolSize() == 50_000);
      assertThat(server.outcomes).isEmpty();

      manual.advance(TIMEOUT.minusMillis(1));
      assertThat(server.outcomes).as("not before the timeout").isEmpty();
      manual.advance(Duration.ofMillis(1));

      assertThat(server.nextOutcome().result()).isInstanceOf(BodySpooler.Read.TimedOut.class);
      assertThat(spoolFiles()).isEmpty();
      String answer = new String(readUntilClosed(socket.getInputStream()), UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close");
    }
    assertThat(manual.pending()).isZero();
  }

  @Test
  void aClientThatLeavesMidUploadFailsTheReadAndItsFileIsDeleted() throws Exception {
    start(10 << 20);
    byte[] body = new GeneratedUpload(1 << 20, "whisper-1").readAllBytes();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(head(body.length));
      socket.getOutputStream().write(body, 0, 200_000);
      socket.getOutputStream().flush();
      await("the spool file has the first bytes", () -> spoolSize() == 200_000);
    } // gone, 200 kB into a 1 MiB body

    AsyncResult<BodySpooler.Read> outcome = server.nextOutcome();
    assertThat(outcome.failed()).as("nobody is listening for an answer").isTrue();
    assertThat(spoolFiles()).isEmpty();
    assertThat(manual.pending()).as("the timer is cancelled").isZero();
  }

  @Test
  void aRequestAnsweredOnOtherGroundsHasItsBodyDropped() throws Exception {
    server = SpoolingServer.start(vertx, scheduler, new SpoolOptions(dir, 10 << 20, TIMEOUT),
        BodySpoolerTest::describeAndClose, (req, spooler) -> {
          req.response().setStatusCode(401).end("no key"); // as the auth policy would, while the body arrives
          spooler.discard();
        });

    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofInputStream(
        () -> new GeneratedUpload(2 << 20, "whisper-1")));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(server.nextOutcome().result()).isInstanceOf(BodySpooler.Read.Answered.class);
  }

  @Test
  void aMalformedFormIsRefusedAsSoonAsItIsSeen() throws Exception {
    start(20 << 20);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + GeneratedUpload.BOUNDARY + "\r\nContent-Type: audio/wav\r\n\r\n").getBytes(UTF_8));
    body.writeBytes(new byte[8 << 20]);

    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("a part without Content-Disposition");
    BodySpooler.Read.Malformed malformed = (BodySpooler.Read.Malformed) server.nextOutcome().result();
    assertThat(malformed.form().verdict()).isEqualTo(MultipartScanner.Verdict.MALFORMED);
    assertThat(malformed.form().size()).as("read no further than needed").isLessThan(body.size());
  }

  @Test
  void aFormWithoutItsClosingBoundaryIsTruncated() throws Exception {
    start(10 << 20);
    byte[] whole = new GeneratedUpload(10_000, "whisper-1").readAllBytes();
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 10);

    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(cut));

    assertThat(r.statusCode()).isEqualTo(400);
    BodySpooler.Read.Malformed malformed = (BodySpooler.Read.Malformed) server.nextOutcome().result();
    assertThat(malformed.form().verdict()).isEqualTo(MultipartScanner.Verdict.TRUNCATED);
    assertThat(malformed.form().field("model")).contains("whisper-1");
  }

  @Test
  void aSpoolDirectoryThatIsNotThereMakesTheSpoolUnavailable() throws Exception {
    server = SpoolingServer.start(vertx, scheduler, new SpoolOptions(dir.resolve("missing"), 10 << 20, TIMEOUT),
        BodySpoolerTest::describeAndClose);

    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(
        new GeneratedUpload(100_000, "whisper-1").readAllBytes()));

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(server.nextOutcome().result()).isInstanceOf(BodySpooler.Read.Unavailable.class);
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  private static byte[] head(long contentLength) {
    return ("POST /v1/audio/transcriptions HTTP/1.1\r\nhost: localhost\r\ncontent-type: " + GeneratedUpload.CONTENT_TYPE
        + "\r\ncontent-length: " + contentLength + "\r\n\r\n").getBytes(UTF_8);
  }

  private static byte[] readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private java.util.List<Path> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private long spoolSize() {
    try {
      java.util.List<Path> files = spoolFiles();
      return files.size() == 1 ? Files.size(files.getFirst()) : -1;
    } catch (IOException e) {
      return -1; // deleted meanwhile
    }
  }

  /** Waits (polling, at most 20 s) for a state the test cannot be told about. */
  static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(2);
    }
  }
}
