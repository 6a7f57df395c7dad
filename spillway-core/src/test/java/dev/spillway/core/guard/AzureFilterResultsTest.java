package dev.spillway.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AzureFilterResultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<GuardFinding> of(String json) throws Exception {
    return AzureFilterResults.of(JSON.readTree(json));
  }

  @Test
  void aFilteredPromptIsABlockOfItsCategory() throws Exception {
    List<GuardFinding> f = of("""
        {"error":{"code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation",
         "content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"high"},
         "jailbreak":{"filtered":false,"detected":false}}}}}""");
    assertThat(f).containsExactly(GuardFinding.whole(GuardAction.BLOCK, "violence", 6, "azure"));
  }

  @Test
  void annotationsAboveSafeAreLoggedAndAFilteredChoiceIsBlocked() throws Exception {
    List<GuardFinding> f = of("""
        {"prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"low"},
          "sexual":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":true}}}],
         "choices":[{"index":0,"finish_reason":"content_filter","content_filter_results":{
          "self_harm":{"filtered":true,"severity":"medium"}}},
          {"index":1,"finish_reason":"content_filter"},
          {"index":2,"finish_reason":"stop","content_filter_results":{"custom_blocklists":{"filtered":true,
           "details":[{"filtered":true,"id":"brands"}]}}}]}""");
    assertThat(f).containsExactly(
        GuardFinding.whole(GuardAction.LOG, "hate", 2, "azure"),
        GuardFinding.whole(GuardAction.LOG, "jailbreak", 4, "azure"),
        GuardFinding.whole(GuardAction.BLOCK, "self_harm", 4, "azure"),
        GuardFinding.whole(GuardAction.BLOCK, "content_filter", 4, "azure"),
        GuardFinding.whole(GuardAction.BLOCK, "blocklist", 4, "azure:brands"));
    assertThat(of("{\"choices\":[{\"finish_reason\":\"stop\",\"content_filter_results\":{\"hate\":{\"filtered\":false,"
        + "\"severity\":\"safe\"}}}]}")).isEmpty();
    assertThat(of("{\"error\":{\"code\":\"rate_limit\"}}")).isEmpty();
  }

  @Test
  void theScannerFindsResultsInAStreamInAnyChunking() {
    String sse = "data: {\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":"
        + "{\"violence\":{\"filtered\":false,\"severity\":\"low\"}}}]}\n\n"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\",\"content_filter_results\":"
        + "{\"hate\":{\"filtered\":true,\"severity\":\"high\"}}}]}\n\ndata: [DONE]\n\n";
    byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
    for (int chunk : new int[] {1, 13, bytes.length}) {
      FilterResultsScanner s = new FilterResultsScanner();
      for (int i = 0; i < bytes.length; i += chunk) {
        s.feed(bytes, i, Math.min(chunk, bytes.length - i));
      }
      assertThat(s.findings()).containsExactly(
          GuardFinding.whole(GuardAction.LOG, "violence", 2, "azure"),
          GuardFinding.whole(GuardAction.BLOCK, "hate", 6, "azure"));
    }
  }

  /** What {@link AzureFilterResults#mayFlag} promises, written the slow, obvious way. */
  private static boolean mayFlagBySpec(String body) {
    for (String flag : List.of("\"filtered\":true", "\"detected\":true", "\"severity\":\"low\"",
        "\"severity\":\"medium\"", "\"severity\":\"high\"", "\"content_filter\"")) {
      if (body.contains(flag)) {
        return true;
      }
    }
    return body.contains("\": ") && body.contains("filter");
  }

  @Test
  void theQuickScanAgreesWithTheObviousOneOnEveryMixOfFragmentsAndEveryWindow() {
    List<String> fragments = List.of("\"", ":", " ", "true", "false", "filter", "filtered", "\"filtered\"", "\"filtered\":",
        "\"detected\":", "\"severity\":\"", "low\"", "medium\"", "high\"", "safe\"", "\"content_filter\"",
        "content_filter", "{", "}", ",", "\": ", "x");
    java.util.Random random = new java.util.Random(7);
    int flagged = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder body = new StringBuilder();
      for (int k = random.nextInt(12); k >= 0; k--) {
        body.append(fragments.get(random.nextInt(fragments.size())));
      }
      String text = body.toString();
      byte[] bytes = ("ab" + text + "yz").getBytes(StandardCharsets.US_ASCII);
      boolean expected = mayFlagBySpec(text);
      flagged += expected ? 1 : 0;
      assertThat(AzureFilterResults.mayFlag(bytes, 2, bytes.length - 2)).as(text).isEqualTo(expected);
    }
    assertThat(flagged).as("the mixes reach both answers").isBetween(2_000, 18_000);
  }

  @Test
  void aFlagCutByTheEndOfTheWindowIsNotSeen() {
    byte[] bytes = "{\"filtered\":true}".getBytes(StandardCharsets.US_ASCII);
    assertThat(AzureFilterResults.mayFlag(bytes, 0, bytes.length)).isTrue();
    assertThat(AzureFilterResults.mayFlag(bytes, 0, bytes.length - 2)).isFalse();
    assertThat(AzureFilterResults.mayFlag(bytes, 2, bytes.length)).isFalse();
  }
}
