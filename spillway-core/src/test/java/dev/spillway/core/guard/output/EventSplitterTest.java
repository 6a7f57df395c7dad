package dev.spillway.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSplitterTest {
  private static final String STREAM = "data: {\"a\":\"é\"}\r\n\r\n: note\r\revent: x\ndata:one\ndata: two\n\n"
      + "data: 😀\r\n\r\ndata: [DONE]\n\n";

  private record Seen(List<String> data, byte[] sent) {}

  private static Seen split(byte[] bytes, int cut, boolean sendAll) {
    EventSplitter splitter = new EventSplitter();
    List<String> data = new ArrayList<>();
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    EventSplitter.Handler handler = (raw, d) -> {
      if (d != null) {
        data.add(d);
      }
      if (sendAll || d == null || !d.startsWith("{")) {
        sent.writeBytes(raw);
        return true;
      }
      return false;
    };
    splitter.feed(bytes, 0, cut, handler);
    splitter.feed(bytes, cut, bytes.length - cut, handler);
    splitter.finish(handler);
    return new Seen(data, sent.toByteArray());
  }

  @Test
  void eventsComeOutWholeAndAsTheyCameWhereverTheBytesAreCut() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      Seen all = split(bytes, cut, true);
      assertThat(all.data()).as("cut %d", cut).containsExactly("{\"a\":\"é\"}", "one\ntwo", "😀", "[DONE]");
      assertThat(all.sent()).as("cut %d", cut).isEqualTo(bytes);
    }
  }

  @Test
  void theLineFeedAfterACarriageReturnGoesWithItsEvent() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    String expected = STREAM.substring(STREAM.indexOf(": note"));
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertThat(new String(split(bytes, cut, false).sent(), StandardCharsets.UTF_8)).as("cut %d", cut)
          .isEqualTo(expected);
    }
  }

  @Test
  void anUnfinishedLastEventIsHandedOverAtTheEnd() {
    byte[] bytes = "data: {\"a\":1}\n\ndata: tail".getBytes(StandardCharsets.UTF_8);
    assertThat(split(bytes, 3, true).data()).containsExactly("{\"a\":1}", "tail");
  }
}
