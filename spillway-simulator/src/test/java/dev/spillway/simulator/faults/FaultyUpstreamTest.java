package dev.spillway.simulator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each fault as a raw client sees it on the wire: what arrives, and how the connection ends. */
class FaultyUpstreamTest {
  private static final String PLAIN = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String STREAM = "{\"model\":\"gpt-4o\",\"stream\": true,\"messages\":[]}";
  private FaultyUpstream upstream;

  @AfterEach
  void stop() {
    if (upstream != null) {
      upstream.close();
    }
  }

  /** What one exchange left on the client's side: the bytes read and how reading ended. */
  private record Wire(String text, String ending) {
    String body() {
      int at = text.indexOf("\r\n\r\n");
      return at < 0 ? "" : text.substring(at + 4);
    }
  }

  private Wire exchange(UpstreamFault fault, String path, String body) throws IOException {
    if (upstream == null) {
      upstream = FaultyUpstream.start(fault, new FaultyUpstream.Settings(1500, Duration.ofMillis(20), 100_000));
    }
    try (Socket s = send(path, body)) {
      return readAll(s.getInputStream());
    }
  }

  private Wire exchange(UpstreamFault fault, String body) throws IOException {
    return exchange(fault, "/openai/deployments/d/chat/completions", body);
  }

  private Socket send(String path, String body) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", upstream.port()), 2_000);
    s.setSoTimeout(500);
    s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: "
        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    return s;
  }

  private static Wire readAll(InputStream in) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    String ending;
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
      ending = "closed";
    } catch (SocketTimeoutException e) {
      ending = "silent";
    } catch (SocketException e) {
      ending = "reset";
    } catch (IOException e) {
      ending = "error";
    }
    return new Wire(got.toString(StandardCharsets.ISO_8859_1), ending);
  }

  @Test
  void rateLimitedAsksToRetryLater() throws IOException {
    Wire w = exchange(UpstreamFault.RATE_LIMITED, PLAIN);
    assertThat(w.text()).startsWith("HTTP/1.1 429 ").contains("retry-after-ms: 1500\r\n", "retry-after: 2\r\n");
    assertThat(w.ending()).isEqualTo("closed");
    assertThat(upstream.requests()).isEqualTo(1);
  }

  @Test
  void serverErrorIs500WithAnAzureShapedBody() throws IOException {
    Wire w = exchange(UpstreamFault.SERVER_ERROR, PLAIN);
    assertThat(w.text()).startsWith("HTTP/1.1 500 ");
    assertThat(new ObjectMapper().readTree(w.body()).path("error").path("code").asText()).isEqualTo("InternalServerError");
  }

  @Test
  void refusedHasNothingListening() {
    upstream = FaultyUpstream.start(UpstreamFault.REFUSED);
    assertThatThrownBy(() -> new Socket("127.0.0.1", upstream.port()).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void resetBeforeHeadersSendsNothing() throws IOException {
    Wire w = exchange(UpstreamFault.RESET_BEFORE_HEADERS, PLAIN);
    assertThat(w.text()).isEmpty();
    assertThat(w.ending()).isEqualTo("reset");
  }

  @Test
  void resetMidBodyPromisesMoreThanItSends() throws IOException {
    Wire w = exchange(UpstreamFault.RESET_MID_BODY, PLAIN);
    assertThat(w.text()).startsWith("HTTP/1.1 200 ").contains("content-type: application/json\r\n")
        .contains("content-length: " + FaultyAnswers.COMPLETION.length() + "\r\n");
    assertThat(w.body()).isEqualTo(FaultyAnswers.COMPLETION.substring(0, FaultyAnswers.COMPLETION.length() / 2));
    assertThat(w.ending()).isEqualTo("reset");
  }

  @Test
  void resetMidStreamSendsThreeEventsThenResets() throws IOException {
    Wire w = exchange(UpstreamFault.RESET_MID_STREAM, STREAM);
    assertThat(w.text()).contains("content-type: text/event-stream\r\n", "transfer-encoding: chunked\r\n");
    assertThat(w.body().split("chat.completion.chunk", -1)).hasSize(4);
    assertThat(w.body()).doesNotContain("[DONE]");
    assertThat(w.ending()).isEqualTo("reset");
  }

  @Test
  void hangBeforeHeadersHoldsTheConnectionUntilThePeerLeaves() throws Exception {
    Wire w = exchange(UpstreamFault.HANG_BEFORE_HEADERS, PLAIN);
    assertThat(w.text()).isEmpty();
    assertThat(w.ending()).isEqualTo("silent");
    awaitPeerClosures(1);
  }

  @Test
  void hangMidStreamFallsSilentAfterThreeEvents() throws Exception {
    Wire w = exchange(UpstreamFault.HANG_MID_STREAM, STREAM);
    assertThat(w.body().split("chat.completion.chunk", -1)).hasSize(4);
    assertThat(w.ending()).isEqualTo("silent");
    awaitPeerClosures(1);
  }

  @Test
  void garbageIsNotHttp() throws IOException {
    Wire w = exchange(UpstreamFault.GARBAGE, PLAIN);
    assertThat(w.text()).isNotEmpty().doesNotStartWith("HTTP/");
    assertThat(w.ending()).isEqualTo("closed");
  }

  @Test
  void notJsonIsA200ThatIsNotJsonInEitherShape() throws IOException {
    Wire plain = exchange(UpstreamFault.NOT_JSON, PLAIN);
    assertThat(plain.text()).startsWith("HTTP/1.1 200 ").contains("content-type: application/json\r\n");
    assertThatThrownBy(() -> new ObjectMapper().readTree(plain.body())).isInstanceOf(IOException.class);
    Wire stream = exchange(UpstreamFault.NOT_JSON, STREAM);
    assertThat(stream.text()).contains("content-type: text/event-stream\r\n");
    assertThat(stream.body()).contains("data: this is not json\n\n");
  }

  @Test
  void sseAnswerStreamsEvenToAPlainRequest() throws IOException {
    Wire w = exchange(UpstreamFault.SSE_ANSWER, PLAIN);
    assertThat(w.text()).contains("content-type: text/event-stream\r\n");
    assertThat(w.body()).endsWith("data: [DONE]\n\n");
  }

  @Test
  void htmlIsA200Page() throws IOException {
    Wire w = exchange(UpstreamFault.HTML, PLAIN);
    assertThat(w.text()).startsWith("HTTP/1.1 200 ").contains("content-type: text/html");
    assertThat(w.body()).startsWith("<!DOCTYPE html>");
  }

  @Test
  void enormousPlainIsOneObjectOfTheConfiguredSize() throws IOException {
    Wire w = exchange(UpstreamFault.ENORMOUS, PLAIN);
    assertThat(w.text()).contains("content-length: 100000\r\n");
    assertThat(w.body()).hasSize(100_000).startsWith("{\"pad\":\"xxx").endsWith("xx\"}");
    assertThat(new ObjectMapper().readTree(w.body()).path("pad").asText()).hasSize(100_000 - 10);
  }

  @Test
  void enormousStreamNeverEndsUntilThePeerLeaves() throws Exception {
    upstream = FaultyUpstream.start(UpstreamFault.ENORMOUS);
    try (Socket s = send("/x", STREAM)) {
      byte[] got = s.getInputStream().readNBytes(1_000_000);
      assertThat(new String(got, StandardCharsets.ISO_8859_1)).contains("text/event-stream").contains("chat.completion.chunk");
    }
    awaitPeerClosures(1);
    assertThat(upstream.bytesSent()).isGreaterThanOrEqualTo(1_000_000);
  }

  @Test
  void slowDripSendsItsHeadAtOnceAndItsBodyByteByByte() throws IOException {
    upstream = FaultyUpstream.start(UpstreamFault.SLOW_DRIP, new FaultyUpstream.Settings(0, Duration.ofMillis(40), 16));
    try (Socket s = send("/x", PLAIN)) {
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        head.write(in.read());
      }
      assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 ");
      byte[] buf = new byte[1024];
      assertThat(in.read(buf)).as("one byte per drip").isEqualTo(1);
      assertThat((char) buf[0]).isEqualTo('{');
    }
  }

  @Test
  void aDeploymentNamedAfterAFaultPlaysThatFault() throws IOException {
    Wire w = exchange(UpstreamFault.SERVER_ERROR, "/openai/deployments/429/chat/completions?api-version=1", PLAIN);
    assertThat(w.text()).startsWith("HTTP/1.1 429 ");
    Wire other = exchange(UpstreamFault.SERVER_ERROR, "/openai/deployments/gpt-4o/chat/completions", PLAIN);
    assertThat(other.text()).startsWith("HTTP/1.1 500 ");
  }

  /** Polls (at most 5 s): the server notices a close on its own thread. */
  private void awaitPeerClosures(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (upstream.peerClosures() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(upstream.peerClosures()).isEqualTo(expected);
  }
}
