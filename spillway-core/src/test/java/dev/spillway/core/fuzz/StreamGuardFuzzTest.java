package dev.spillway.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import dev.spillway.core.guard.output.OutputGuard;
import dev.spillway.core.guard.output.StreamGuard;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stream guard over any bytes, with a check that masks digit runs, blocks the letter pair {@code zz} and logs
 * every {@code a}, and a fuzz-chosen window and overlap: it never throws; what it sends, its strongest action and its
 * findings do not depend on how the stream was cut into chunks (whole, fuzz-chosen cuts, one byte per feed); and a
 * stream without a {@code data:} line passes byte for byte.
 */
class StreamGuardFuzzTest {
  private static final Pattern FOUND = Pattern.compile("\\d{2,}|zz|a");

  private static final TextCheck CHECK = new TextCheck() {
    @Override
    public String id() {
      return "fuzz";
    }

    @Override
    public List<GuardFinding> inspect(CharSequence text) {
      List<GuardFinding> found = new ArrayList<>();
      Matcher m = FOUND.matcher(text);
      while (m.find()) {
        GuardAction action = m.group().equals("zz") ? GuardAction.BLOCK
            : m.group().equals("a") ? GuardAction.LOG : GuardAction.MASK;
        found.add(new GuardFinding(action, action == GuardAction.MASK ? "pii.digits" : "blocklist", 3, "r",
            m.start(), m.end()));
      }
      return found;
    }
  };

  record Observed(byte[] sent, GuardAction strongest, List<GuardFinding> findings) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Observed other && java.util.Arrays.equals(sent, other.sent)
          && strongest == other.strongest && findings.equals(other.findings);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(sent);
    }

    @Override
    public String toString() {
      return new String(sent, java.nio.charset.StandardCharsets.UTF_8) + " " + strongest + " " + findings;
    }
  }

  @FuzzTest(maxDuration = "5s")
  void guardsTheSameInAnyChunking(FuzzedDataProvider data) {
    int window = data.consumeInt(16, 64);
    OutputGuard guard = new OutputGuard(List.of(CHECK), window, data.consumeInt(0, window));
    byte[] stream = SseStreams.stream(data);
    List<byte[]> cuts = SseStreams.chunks(stream, data);

    Observed whole = guard(guard, List.of(stream));
    assertThat(guard(guard, cuts)).as("fuzz-chosen cuts").isEqualTo(whole);
    assertThat(guard(guard, SseStreams.bytewise(stream))).as("one byte per feed").isEqualTo(whole);
    if (!new String(stream, java.nio.charset.StandardCharsets.ISO_8859_1).contains("data:")) {
      assertThat(whole.sent()).as("nothing to read").isEqualTo(stream);
    }
  }

  private static Observed guard(OutputGuard guard, List<byte[]> chunks) {
    StreamGuard g = guard.streamGuard();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] chunk : chunks) {
      byte[] padded = new byte[chunk.length + 4];
      System.arraycopy(chunk, 0, padded, 2, chunk.length);
      out.writeBytes(g.feed(padded, 2, chunk.length));
    }
    out.writeBytes(g.finish());
    return new Observed(out.toByteArray(), g.strongestAction(), g.findings());
  }
}
