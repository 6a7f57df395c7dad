package dev.spillway.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.time.ManualTicker;
import dev.spillway.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseUsageScannerTest {
  private static final long START = 1_000_000L;

  private static String chunk(String choices, String usage) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
        + "\"choices\":"
        + choices
        + ",\"usage\":"
        + usage
        + "}\n\n";
  }

  private static String delta(String deltaJson, String finishReason) {
    return "[{\"index\":0,\"delta\":" + deltaJson + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]";
  }

  private static final String AZURE_PROMPT_FILTER =
      "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
          + "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}\n\n";
  private static final String ROLE = chunk(delta("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null"), "null");
  private static final String HELLO = chunk(delta("{\"content\":\"Hello\"}", "null"), "null");
  private static final String WORLD = chunk(delta("{\"content\":\" world\"}", "null"), "null");
  private static final String STOP = chunk(delta("{}", "\"stop\""), "null");
  private static final String USAGE =
      chunk(
          "[]",
          "{\"prompt_tokens\":12,\"completion_tokens\":2,\"total_tokens\":14,"
              + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":1}}");
  private static final String DONE = "data: [DONE]\n\n";
  private static final String FULL_STREAM = AZURE_PROMPT_FILTER + ROLE + HELLO + WORLD + STOP + USAGE + DONE;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static SseUsageScanner scanWhole(String stream) {
    SseUsageScanner scanner = new SseUsageScanner(new ManualTicker(START), START);
    byte[] b = bytes(stream);
    scanner.feed(b, 0, b.length);
    return scanner;
  }

  private static SseUsageScanner scanInChunks(String stream, int chunkSize) {
    SseUsageScanner scanner = new SseUsageScanner(new ManualTicker(START), START);
    byte[] b = bytes(stream);
    for (int i = 0; i < b.length; i += chunkSize) {
      scanner.feed(b, i, Math.min(chunkSize, b.length - i));
    }
    return scanner;
  }

  private static List<Object> observations(SseUsageScanner s) {
    return List.of(
        s.usage(), s.finishReason(), s.timeToFirstTokenNanos(), s.sawDone(), s.dataEvents(), s.errorMessage(), s.skippedLines());
  }

  @Test
  void readsUsageFinishReasonAndDoneFromAWholeStream() {
    SseUsageScanner scanner = scanWhole(FULL_STREAM);

    assertThat(scanner.usage()).contains(new TokenUsage(12, 2, 14, 4, 1));
    assertThat(scanner.finishReason()).contains("stop");
    assertThat(scanner.sawDone()).isTrue();
    assertThat(scanner.dataEvents()).isEqualTo(7);
    assertThat(scanner.errorMessage()).isEmpty();
    assertThat(scanner.timeToFirstTokenNanos()).hasValue(0L);
  }

  @Test
  void oneByteChunksGiveTheSameResultAsOneFeed() {
    assertThat(observations(scanInChunks(FULL_STREAM, 1))).isEqualTo(observations(scanWhole(FULL_STREAM)));
  }

  @Test
  void randomChunkingGivesTheSameResultAsOneFeed() {
    Random random = new Random(42);
    String stream = FULL_STREAM.replace("\n", "\r\n");
    List<Object> expected = observations(scanWhole(stream));
    byte[] b = bytes(stream);
    for (int round = 0; round < 200; round++) {
      SseUsageScanner scanner = new SseUsageScanner(new ManualTicker(START), START);
      int i = 0;
      while (i < b.length) {
        int n = Math.min(b.length - i, 1 + random.nextInt(40));
        scanner.feed(b, i, n);
        i += n;
      }
      assertThat(observations(scanner)).isEqualTo(expected);
    }
  }

  @Test
  void crlfAndBareCrLineEndingsWork() {
    for (String newline : List.of("\r\n", "\r")) {
      SseUsageScanner scanner = scanInChunks(FULL_STREAM.replace("\n", newline), 7);
      assertThat(scanner.usage()).contains(new TokenUsage(12, 2, 14, 4, 1));
      assertThat(scanner.finishReason()).contains("stop");
      assertThat(scanner.sawDone()).isTrue();
      assertThat(scanner.dataEvents()).isEqualTo(7);
    }
  }

  @Test
  void crlfSplitAcrossFeedsIsOneLineEnd() {
    SseUsageScanner scanner = new SseUsageScanner(new ManualTicker(), 0);
    byte[] first = bytes("data: [DONE]\r");
    byte[] second = bytes("\ndata: [DONE]\r\n\r\n");
    scanner.feed(first, 0, first.length);
    scanner.feed(second, 0, second.length);

    assertThat(scanner.dataEvents()).as("two data lines with no blank line between are one event").isEqualTo(1);
  }

  @Test
  void usageIsTakenFromTheChunkWhoseUsageIsNotNullEvenWithChoices() {
    String stream =
        ROLE
            + HELLO
            + chunk(delta("{}", "\"length\""), "{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}")
            + DONE;

    SseUsageScanner scanner = scanWhole(stream);

    assertThat(scanner.usage()).contains(TokenUsage.of(5, 7));
    assertThat(scanner.finishReason()).contains("length");
  }

  @Test
  void streamWithoutUsageHasNoUsage() {
    SseUsageScanner scanner = scanWhole(ROLE + HELLO + STOP + DONE);

    assertThat(scanner.usage()).isEmpty();
    assertThat(scanner.finishReason()).contains("stop");
    assertThat(scanner.sawDone()).isTrue();
  }

  @Test
  void timeToFirstTokenIsTheTickerAtTheFirstContentLine() {
    ManualTicker ticker = new ManualTicker(START);
    SseUsageScanner scanner = new SseUsageScanner(ticker, START);
    ticker.advanceMillis(50);
    feed(scanner, AZURE_PROMPT_FILTER + ROLE);
    assertThat(scanner.timeToFirstTokenNanos()).as("an empty content delta is not a token").isEmpty();

    ticker.advanceMillis(30);
    String hello = HELLO;
    feed(scanner, hello.substring(0, 20));
    ticker.advanceMillis(5);
    feed(scanner, hello.substring(20));
    assertThat(scanner.timeToFirstTokenNanos()).hasValue(Duration.ofMillis(85).toNanos());

    ticker.advanceMillis(500);
    feed(scanner, WORLD + STOP + USAGE + DONE);
    assertThat(scanner.timeToFirstTokenNanos()).hasValue(Duration.ofMillis(85).toNanos());
    assertThat(scanner.usage()).isPresent();
  }

  @Test
  void toolCallsRefusalsAndCompletionsTextCountAsFirstToken() {
    String toolCall =
        chunk(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", "null"), "null");
    String functionCall = chunk(delta("{\"function_call\":{\"name\":\"f\"}}", "null"), "null");
    String refusal = chunk(delta("{\"refusal\":\"I can't\"}", "null"), "null");
    String completions =
        "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"text\":\"Hi\",\"index\":0,\"finish_reason\":null}]}\n\n";

    for (String first : List.of(toolCall, functionCall, refusal, completions)) {
      ManualTicker ticker = new ManualTicker(START);
      SseUsageScanner scanner = new SseUsageScanner(ticker, START);
      feed(scanner, ROLE);
      ticker.advanceMillis(7);
      feed(scanner, first);
      assertThat(scanner.timeToFirstTokenNanos()).as(first).hasValue(Duration.ofMillis(7).toNanos());
    }
  }

  @Test
  void roleOnlyAndFilterChunksNeverSetTimeToFirstToken() {
    SseUsageScanner scanner = scanWhole(AZURE_PROMPT_FILTER + ROLE + STOP + USAGE + DONE);

    assertThat(scanner.timeToFirstTokenNanos()).isEmpty();
    assertThat(scanner.usage()).isPresent();
  }

  @Test
  void finishReasonAndUsageAreFoundAfterTheFirstTokenDespiteOddSpacing() {
    String spacedStop = "data: {\"choices\": [{\"index\": 0, \"delta\": {}, \"finish_reason\" : \"content_filter\"}], \"usage\": null}\n\n";
    String spacedUsage = "data: {\"choices\": [], \"usage\" :\t{\"prompt_tokens\": 3, \"completion_tokens\": 4, \"total_tokens\": 7}}\n\n";

    SseUsageScanner scanner = scanWhole(ROLE + HELLO + spacedStop + spacedUsage + DONE);

    assertThat(scanner.finishReason()).contains("content_filter");
    assertThat(scanner.usage()).contains(TokenUsage.of(3, 4));
  }

  @Test
  void textThatMentionsUsageInsideContentIsNotMistakenForUsage() {
    String sneaky = chunk(delta("{\"content\":\"\\\"usage\\\": {\\\"prompt_tokens\\\": 999}\"}", "null"), "null");

    SseUsageScanner scanner = scanWhole(ROLE + HELLO + sneaky + STOP + USAGE + DONE);

    assertThat(scanner.usage()).contains(new TokenUsage(12, 2, 14, 4, 1));
  }

  @Test
  void doneIsRecognisedWithOrWithoutTheSpace() {
    assertThat(scanWhole("data:[DONE]\n\n").sawDone()).isTrue();
    assertThat(scanWhole("data: [DONE]\n\n").sawDone()).isTrue();
    assertThat(scanWhole("data: [DONE]").sawDone()).as("not yet a complete line").isFalse();
    assertThat(scanWhole("data: [NOT DONE]\n\n").sawDone()).isFalse();
  }

  @Test
  void dataWithoutTheSpaceIsStillParsed() {
    String noSpace = USAGE.replace("data: ", "data:");
    assertThat(scanWhole(noSpace).usage()).isPresent();
  }

  @Test
  void errorEventGivesItsMessage() {
    String stream =
        ROLE
            + HELLO
            + "event: error\n"
            + "data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";

    SseUsageScanner scanner = scanInChunks(stream, 3);

    assertThat(scanner.errorMessage()).contains("The server had an error while processing your request.");
    assertThat(scanner.sawDone()).isFalse();
    assertThat(scanner.usage()).isEmpty();
  }

  @Test
  void nestedErrorObjectsInsideContentFilterResultsAreNotStreamErrors() {
    String filterError =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null,"
            + "\"content_filter_results\":{\"error\":{\"code\":\"content_filter_error\",\"message\":\"filter timed out\"}}}]}\n\n";

    assertThat(scanWhole(ROLE + filterError + DONE).errorMessage()).isEmpty();
  }

  @Test
  void commentsEventLinesAndOtherFieldsAreIgnored() {
    String stream =
        ": keep-alive\n\n"
            + "event: message\nid: 7\nretry: 1000\n"
            + "database: {\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}\n"
            + "data: not json\n\n"
            + ":" + USAGE.substring("data: ".length()) // a comment that looks like a usage chunk
            + DONE;

    SseUsageScanner scanner = scanInChunks(stream, 5);

    assertThat(scanner.usage()).isEmpty();
    assertThat(scanner.dataEvents()).isEqualTo(2);
    assertThat(scanner.sawDone()).isTrue();
  }

  @Test
  void lineLongerThanTheCapIsSkippedAndScanningContinues() {
    String huge = chunk(delta("{\"content\":\"" + "x".repeat(300) + "\"}", "null"), "{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}");
    String stream = ROLE + huge + STOP + USAGE + DONE;

    for (int chunkSize : new int[] {1, 13, stream.length()}) {
      SseUsageScanner scanner = new SseUsageScanner(new ManualTicker(START), START, 300);
      byte[] b = bytes(stream);
      for (int i = 0; i < b.length; i += chunkSize) {
        scanner.feed(b, i, Math.min(chunkSize, b.length - i));
      }
      assertThat(scanner.skippedLines()).as("chunk size %d", chunkSize).isEqualTo(1);
      assertThat(scanner.timeToFirstTokenNanos()).as("the skipped line is not seen").isEmpty();
      assertThat(scanner.finishReason()).contains("stop");
      assertThat(scanner.usage()).contains(new TokenUsage(12, 2, 14, 4, 1));
      assertThat(scanner.sawDone()).isTrue();
    }
  }

  @Test
  void multiMegabyteLineIsSkippedWithTheDefaultCap() {
    SseUsageScanner scanner = new SseUsageScanner(new ManualTicker(), 0);
    byte[] piece = new byte[64 * 1024];
    java.util.Arrays.fill(piece, (byte) 'x');
    feed(scanner, "data: {\"choices\":[{\"delta\":{\"content\":\"");
    for (int i = 0; i < 40; i++) { // 2.5 MiB
      scanner.feed(piece, 0, piece.length);
    }
    feed(scanner, "\"}}]}\n\n" + USAGE + DONE);

    assertThat(scanner.skippedLines()).isEqualTo(1);
    assertThat(scanner.usage()).isPresent();
    assertThat(scanner.sawDone()).isTrue();
  }

  @Test
  void feedHonoursOffsetAndLength() {
    byte[] usage = bytes(USAGE);
    byte[] padded = new byte[usage.length + 20];
    java.util.Arrays.fill(padded, (byte) '\n');
    System.arraycopy(usage, 0, padded, 10, usage.length);
    SseUsageScanner scanner = new SseUsageScanner(new ManualTicker(), 0);

    scanner.feed(padded, 10, usage.length);

    assertThat(scanner.usage()).isPresent();
    assertThat(scanner.dataEvents()).isEqualTo(1);
  }

  private static void feed(SseUsageScanner scanner, String text) {
    byte[] b = bytes(text);
    scanner.feed(b, 0, b.length);
  }
}
