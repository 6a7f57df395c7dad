package dev.spillway.core.guard.output;

import static dev.spillway.core.guard.output.Streams.DONE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamGuardTest {
  private static final String CARD = "4111 1111 1111 1111";
  private static final List<TextCheck> CHECKS = List.of(
      TestChecks.card(GuardAction.MASK),
      TestChecks.word("forbidden", GuardAction.BLOCK, "blocklist", 6, "house-rules"),
      TestChecks.word("hello", GuardAction.LOG, "greeting", 0, "hi"));

  /** The start of a chunk of the test streams, up to its choices. */
  private static final String HEAD =
      "data: {\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":17,\"model\":\"gpt-4o\",";

  private static StreamGuard guard(int window, int overlap) {
    return new OutputGuard(CHECKS, window, overlap).streamGuard();
  }

  private static String prose(Random random, int words) {
    String[] vocabulary = {"the", "river", "spills", "over", "a", "weir", "and", "runs", "on", "quietly", "tonight"};
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < words; i++) {
      s.append(i == 0 ? "" : " ").append(vocabulary[random.nextInt(vocabulary.length)]);
    }
    return s.toString();
  }

  private static String sent(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void theOutputIsTheSameInAnyChunkingOfTheInput() {
    Random random = new Random(11);
    String answer = prose(random, 60) + " card " + CARD + " hello " + prose(random, 40) + " é中😀 done";
    for (String stream : List.of(Streams.chat(Streams.pieces(answer, 7, random)),
        Streams.chat(Streams.pieces(answer, 7, random)).replace("\n\n", "\r\n\r\n"),
        Streams.chat(Streams.pieces(answer, 7, random)).replace("\n\n", "\r\r"))) {
      byte[] whole = Streams.feed(guard(48, 20), stream);
      assertThat(Streams.texts(whole).get(0)).isEqualTo(answer.replace(CARD, "[CREDIT_CARD]"));
      for (int seed = 0; seed < 20; seed++) {
        assertThat(Streams.feed(guard(48, 20), stream, 1 + seed * 3, new Random(seed))).isEqualTo(whole);
      }
      assertThat(Streams.feed(guard(48, 20), stream, 1, random)).isEqualTo(whole);
    }
  }

  @Test
  void theWindowsDependOnTheTextNotOnHowTheUpstreamCutItIntoDeltas() {
    Random random = new Random(5);
    String answer = prose(random, 120) + " " + CARD + " " + prose(random, 30);
    byte[] first = Streams.feed(guard(40, 24), Streams.chat(Streams.pieces(answer, 3, random)));
    for (int max : new int[] {1, 5, 17, 200}) {
      byte[] other = Streams.feed(guard(40, 24), Streams.chat(Streams.pieces(answer, max, random)));
      assertThat(Streams.data(other)).isEqualTo(Streams.data(first));
    }
  }

  @Test
  void aCardIsMaskedWhereverItFallsAcrossDeltasAndWindows() {
    Random random = new Random(3);
    String before = prose(random, 40);
    for (int window : new int[] {32, 40, 64}) {
      for (int shift = 0; shift < 4 * window; shift++) {
        // Half the time glued to a word, so that the whitespace nearest a window's cut may lie inside the number.
        String answer = before.substring(0, shift / 2) + (shift % 2 == 0 ? " " : " number:") + CARD + ". then "
            + prose(random, 20);
        String expected = answer.replace(CARD, "[CREDIT_CARD]");
        int max = new int[] {1, 4, 11}[shift % 3];
        StreamGuard g = guard(window, 24);
        byte[] out = Streams.feed(g, Streams.chat(Streams.pieces(answer, max, random)));
        assertThat(Streams.texts(out).get(0)).as("window %d shift %d", window, shift).isEqualTo(expected);
        assertThat(sent(out)).doesNotContain("1111");
        assertThat(g.findings()).filteredOn(f -> f.category().equals("pii.credit_card")).hasSize(1);
      }
    }
  }

  @Test
  void aBlockEndsTheChoiceWithAzuresContentFilterChunkThenUsageAndDone() {
    Random random = new Random(8);
    String clean = prose(random, 50);
    String answer = clean + " and now forbidden things " + prose(random, 50);
    StreamGuard g = guard(40, 16);
    byte[] out = Streams.feed(g, Streams.chat(Streams.pieces(answer, 6, random)), 9, random);
    List<JsonNode> events = Streams.events(out);

    String text = Streams.texts(out).get(0);
    assertThat(clean).startsWith(text);
    assertThat(text.length()).isGreaterThan(clean.length() - 40 - 16);
    assertThat(sent(out)).doesNotContain("forbidden");
    assertThat(Streams.finishes(out).get(0)).containsExactly("content_filter");

    int n = events.size();
    assertThat(events.get(n - 1).asText()).isEqualTo("[DONE]");
    assertThat(events.get(n - 2).path("usage").path("total_tokens").asInt()).isEqualTo(13);
    JsonNode filtered = events.get(n - 3);
    assertThat(filtered.path("id").asText()).isEqualTo("chatcmpl-9");
    assertThat(filtered.path("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(filtered.path("model").asText()).isEqualTo("gpt-4o");
    JsonNode choice = filtered.path("choices").get(0);
    assertThat(choice.path("delta").toString()).isEqualTo("{}");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("content_filter");
    assertThat(choice.path("content_filter_results").toString()).isEqualTo(
        "{\"custom_blocklists\":{\"filtered\":true,\"details\":[{\"filtered\":true,\"id\":\"house-rules\"}]}}");

    assertThat(g.strongestAction()).isEqualTo(GuardAction.BLOCK);
    assertThat(g.findings()).extracting(GuardFinding::ruleId).contains("house-rules");
  }

  @Test
  void twoChoicesAreGuardedApart() {
    String a = "first choice says forbidden words and goes on for a while longer than a window";
    String b = "second choice pays with " + CARD + " and then says a lot more than one window of text";
    StringBuilder s = new StringBuilder(Streams.promptFilter()).append(Streams.role(0)).append(Streams.role(1));
    List<String> pa = Streams.pieces(a, 5, new Random(1));
    List<String> pb = Streams.pieces(b, 5, new Random(2));
    for (int i = 0; i < Math.max(pa.size(), pb.size()); i++) {
      if (i < pa.size()) {
        s.append(Streams.content(0, pa.get(i)));
      }
      if (i < pb.size()) {
        s.append(Streams.content(1, pb.get(i)));
      }
    }
    s.append(Streams.finish(0, "stop", false)).append(Streams.finish(1, "length", false)).append(Streams.usage())
        .append(DONE);
    byte[] out = Streams.feed(guard(32, 20), s.toString());

    assertThat(Streams.finishes(out).get(0)).containsExactly("content_filter");
    assertThat(Streams.finishes(out).get(1)).containsExactly("length");
    assertThat(Streams.texts(out).getOrDefault(0, "")).doesNotContain("forbidden");
    assertThat(Streams.texts(out).get(1)).isEqualTo(b.replace(CARD, "[CREDIT_CARD]"));
    List<JsonNode> events = Streams.events(out);
    assertThat(events.get(events.size() - 2).has("usage")).isTrue();
  }

  @Test
  void toolCallsPassAsTheyCameAfterTheTextBeforeThem() {
    String call1 = HEAD
        + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"pay\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n";
    String call2 = HEAD
        + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
        + "\"{\\\"card\\\":\\\"4111\\\"}\"}}]},\"finish_reason\":null}]}\n\n";
    String stream = Streams.role(0) + Streams.content(0, "Let me pay ") + Streams.content(0, "with card " + CARD)
        + call1 + call2 + Streams.finish(0, "tool_calls", false) + DONE;
    String out = sent(Streams.feed(guard(400, 64), stream));
    int text = out.indexOf("[CREDIT_CARD]");
    assertThat(text).isPositive().isLessThan(out.indexOf(call1));
    assertThat(out).contains(call1 + call2);
    assertThat(Streams.texts(out.getBytes(StandardCharsets.UTF_8)).get(0))
        .isEqualTo("Let me pay with card [CREDIT_CARD]");
    assertThat(out).startsWith(Streams.role(0)).endsWith(Streams.finish(0, "tool_calls", false) + DONE);
  }

  @Test
  void textInTheFinishChunkIsCheckedAndReleasedBeforeIt() {
    String last = HEAD
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"1111 1111\"},\"logprobs\":{\"content\":[]},"
        + "\"finish_reason\":\"stop\"}]}\n\n";
    byte[] out = Streams.feed(guard(400, 64), Streams.role(0) + Streams.content(0, "card 4111 1111 ") + last + DONE);
    List<JsonNode> events = Streams.events(out);
    assertThat(Streams.texts(out).get(0)).isEqualTo("card [CREDIT_CARD]");
    JsonNode finish = events.get(events.size() - 2).path("choices").get(0);
    assertThat(finish.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(finish.path("delta").has("content")).isFalse();
    assertThat(finish.path("logprobs").isNull()).isTrue();
  }

  @Test
  void eventsWithoutTextPassAsTheirOwnBytes() {
    String comment = ": keep-alive\n\n";
    String named = "event: ping\ndata: {\"note\":1}\n\n";
    String broken = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"forbidden\"\n\n";
    String array = "data: [1,2]\n\n";
    String stream = Streams.promptFilter() + Streams.role(0) + comment + named + broken + array
        + Streams.content(0, "all fine") + Streams.finish(0, "stop", false) + Streams.usage() + DONE;
    for (int max : new int[] {0, 1, 13}) {
      String out = sent(Streams.feed(guard(400, 64), stream, max, new Random(max)));
      assertThat(out).startsWith(Streams.promptFilter() + Streams.role(0) + comment + named + broken + array)
          .endsWith(Streams.finish(0, "stop", false) + Streams.usage() + DONE);
      assertThat(Streams.texts(out.getBytes(StandardCharsets.UTF_8)).get(0)).isEqualTo("all fine");
    }
  }

  @Test
  void withoutChecksTheInputComesBackAsItIs() {
    StreamGuard g = OutputGuard.of(List.of()).streamGuard();
    byte[] bytes = (Streams.role(0) + Streams.content(0, "forbidden " + CARD)).getBytes(StandardCharsets.UTF_8);
    assertThat(g.feed(bytes, 0, bytes.length)).isSameAs(bytes);
    assertThat(g.feed(bytes, 3, 10)).containsExactly(java.util.Arrays.copyOfRange(bytes, 3, 13));
    assertThat(g.finish()).isEmpty();
    assertThat(g.findings()).isEmpty();
    assertThat(g.strongestAction()).isEqualTo(GuardAction.ALLOW);
  }

  @Test
  void multiByteCharactersSplitAnywhereComeOutWhole() {
    String answer = "Ünïcödé 中文字符 😀😁😂🤣 " + "ÀÉÎÕÜ😀".repeat(30) + " fin";
    Random random = new Random(4);
    for (int overlap : new int[] {0, 5, 16}) {
      byte[] out = Streams.feed(guard(16, overlap), Streams.chat(Streams.pieces(answer, 9, random)), 1, random);
      assertThat(Streams.texts(out).get(0)).isEqualTo(answer);
      for (JsonNode e : Streams.events(out)) {
        String t = e.path("choices").path(0).path("delta").path("content").asText("");
        assertThat(t.isEmpty() || !Character.isLowSurrogate(t.charAt(0))).as(t).isTrue();
        assertThat(t.isEmpty() || !Character.isHighSurrogate(t.charAt(t.length() - 1))).as(t).isTrue();
      }
    }
  }

  @Test
  void aChoiceHoldsNoMoreThanAWindowAndTheOverlap() {
    TestChecks.Counting counting = new TestChecks.Counting();
    StreamGuard g = new OutputGuard(List.of(counting), 100, 30).streamGuard();
    String answer = prose(new Random(2), 2000);
    int fed = 0;
    int released = 0;
    for (String piece : Streams.pieces(answer, 40, new Random(9))) {
      byte[] in = Streams.content(0, piece).getBytes(StandardCharsets.UTF_8);
      fed += piece.length();
      released += Streams.texts(g.feed(in, 0, in.length)).getOrDefault(0, "").length();
      assertThat(fed - released).isLessThanOrEqualTo(100 + 30);
    }
    assertThat(counting.longest).isLessThanOrEqualTo(100 + 30);
    assertThat(counting.calls).isGreaterThan(answer.length() / 100 - 1);
    assertThat(counting.seen).isLessThan(answer.length() * 2L);
  }

  @Test
  void aFindingInTheOverlapIsReportedOnce() {
    Random random = new Random(6);
    for (int shift = 0; shift < 90; shift++) {
      String answer = prose(random, 30).substring(0, shift) + " hello " + prose(random, 30);
      StreamGuard g = guard(40, 24);
      Streams.feed(g, Streams.chat(Streams.pieces(answer, 4, random)));
      assertThat(g.findings()).as("shift %d", shift).extracting(GuardFinding::ruleId).containsExactly("hi");
      assertThat(g.strongestAction()).isEqualTo(GuardAction.LOG);
    }
  }

  @Test
  void aBlockedWordCutByTheWindowsEdgeIsJudgedWhole() {
    // "forbiddenness" is not the word "forbidden"; cut after "forbidden" by a window's end, it must not block.
    Random random = new Random(12);
    for (int shift = 0; shift < 60; shift++) {
      String answer = prose(random, 30).substring(0, shift) + " forbiddenness is fine " + prose(random, 20);
      StreamGuard g = guard(32, 20);
      byte[] out = Streams.feed(g, Streams.chat(Streams.pieces(answer, 5, random)));
      assertThat(Streams.texts(out).get(0)).as("shift %d", shift).isEqualTo(answer);
      assertThat(g.strongestAction()).isEqualTo(GuardAction.ALLOW);
    }
  }

  @Test
  void legacyCompletionStreamsAreGuardedByTheirText() {
    String answer = "pay with " + CARD + " please, then say forbidden things";
    StringBuilder s = new StringBuilder();
    Streams.pieces(answer.substring(0, 30), 4, new Random(1)).forEach(p -> s.append(Streams.text(0, p)));
    Streams.pieces(answer.substring(0, 30), 4, new Random(2)).forEach(p -> s.append(Streams.text(1, p)));
    s.append(Streams.finish(1, "stop", true));
    Streams.pieces(answer.substring(30), 4, new Random(3)).forEach(p -> s.append(Streams.text(0, p)));
    s.append(Streams.finish(0, "stop", true)).append(DONE);
    byte[] out = Streams.feed(guard(400, 64), s.toString(), 7, new Random(0));
    assertThat(Streams.texts(out).get(1)).isEqualTo(answer.substring(0, 30).replace(CARD, "[CREDIT_CARD]"));
    assertThat(Streams.texts(out).getOrDefault(0, "")).isEmpty();
    assertThat(Streams.finishes(out).get(0)).containsExactly("content_filter");
    assertThat(Streams.finishes(out).get(1)).containsExactly("stop");
    for (JsonNode e : Streams.events(out)) {
      if (e.isObject()) {
        assertThat(e.path("object").asText()).isEqualTo("text_completion");
        assertThat(e.path("choices").get(0).has("delta")).isFalse();
      }
    }
  }

  @Test
  void aStreamCutShortIsReleasedCheckedByFinish() {
    StreamGuard g = guard(400, 64);
    byte[] in = (Streams.role(0) + Streams.content(0, "card " + CARD + " and")).getBytes(StandardCharsets.UTF_8);
    byte[] now = g.feed(in, 0, in.length);
    assertThat(Streams.texts(now).get(0)).isEmpty();
    assertThat(Streams.texts(g.finish()).get(0)).isEqualTo("card [CREDIT_CARD] and");
  }
}
