package dev.spillway.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchOutputUsageTest {
  private static String answered(String id, int prompt, int completion, int cached) {
    return "{\"id\":\"batch_req_" + id + "\",\"custom_id\":\"" + id + "\",\"response\":{\"status_code\":200,"
        + "\"request_id\":\"r\",\"body\":{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
        + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}}}},\"error\":null}";
  }

  @Test
  void addsUpEveryAnsweredRequestWhateverTheChunking() {
    String file = answered("a", 10, 5, 2) + "\n"
        + "{\"id\":\"batch_req_b\",\"custom_id\":\"b\",\"response\":null,\"error\":{\"code\":\"x\",\"message\":\"m\"}}\n"
        + answered("c", 7, 3, 0);
    byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
    for (int chunk : new int[] {1, 7, 64, bytes.length}) {
      BatchOutputUsage usage = new BatchOutputUsage(4096);
      for (int i = 0; i < bytes.length; i += chunk) {
        usage.feed(bytes, i, Math.min(chunk, bytes.length - i));
      }
      usage.finish();

      assertThat(usage.usage()).as("chunks of %d", chunk).hasValue(new TokenUsage(17, 8, 25, 2, 0));
      assertThat(usage.answeredRequests()).isEqualTo(2);
    }
  }

  @Test
  void aFileThatIsNotABatchOutputHasNoUsage() {
    BatchOutputUsage usage = new BatchOutputUsage(4096);
    byte[] bytes = "{\"custom_id\":\"a\",\"body\":{\"model\":\"m\"}}\nbinary\u0000stuff\n".getBytes(StandardCharsets.UTF_8);
    usage.feed(bytes, 0, bytes.length);
    usage.finish();

    assertThat(usage.usage()).isEmpty();
  }

  @Test
  void skipsAndCountsLinesPastTheBound() {
    BatchOutputUsage usage = new BatchOutputUsage(64);
    byte[] bytes = (answered("a", 1, 1, 0) + "\n").getBytes(StandardCharsets.UTF_8);
    usage.feed(bytes, 0, bytes.length);
    usage.finish();

    assertThat(usage.usage()).isEmpty();
    assertThat(usage.skippedLines()).isEqualTo(1);
  }
}
