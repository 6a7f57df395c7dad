package dev.spillway.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Azure OpenAI's own content filters said about a request, read from its answer, as guard findings the gateway
 * counts like its own (source {@code backend}): a {@code 400} with {@code code: content_filter} (its {@code
 * innererror.content_filter_result}: the prompt was blocked), {@code prompt_filter_results} (the prompt's
 * annotations: a category above {@code safe} is logged, one {@code filtered} is blocked), and each choice's {@code
 * content_filter_results} or {@code finish_reason: content_filter} (the completion was blocked). Severities map
 * Azure's four levels onto the 0–7 scale: safe 0, low 2, medium 4, high 6; {@code jailbreak}, {@code
 * protected_material_*} and {@code custom_blocklists} have no severity and count 4 when detected or filtered. Pure.
 */
public final class AzureFilterResults {
  private static final Map<String, Integer> SEVERITY = Map.of("safe", 0, "low", 2, "medium", 4, "high", 6);

  /** What a body must hold for {@link #of} to find anything: the rest need not be parsed. */
  private static final byte[][] FLAGS = {
    bytes("\"filtered\":true"), bytes("\"detected\":true"), bytes("\"severity\":\"low\""),
    bytes("\"severity\":\"medium\""), bytes("\"severity\":\"high\""), bytes("\"content_filter\"")
  };

  private static final byte[] SPACED_COLON = bytes("\": ");
  private static final byte[] FILTER = bytes("filter");

  private AzureFilterResults() {}

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * False when {@code body[from, to)} cannot hold a finding (no {@code "filtered":true}, {@code "detected":true}, no
   * severity above safe, no {@code "content_filter"} value), so it need not be parsed; a cheap scan. Azure writes its
   * JSON without spaces; a body with spaces around its colons is parsed whenever it mentions a filter at all.
   *
   * <p>One pass over the body: every flag starts with a quote, so only the bytes after a quote are compared (every
   * answer of every request is scanned here, most of them holding no flag at all).
   */
  public static boolean mayFlag(byte[] body, int from, int to) {
    boolean spacedColon = false;
    for (int i = from; i < to; i++) {
      if (body[i] != '"') {
        continue;
      }
      if (i + 1 >= to) {
        break;
      }
      // Each flag is compared only after a quote followed by its own first letter: most quotes open a key no flag
      // starts with, and are passed over at the cost of one comparison.
      byte next = body[i + 1];
      if (next == ':') {
        spacedColon = spacedColon || startsWith(body, i, to, SPACED_COLON);
        continue;
      }
      for (byte[] flag : FLAGS) {
        if (flag[1] == next && startsWith(body, i, to, flag)) {
          return true;
        }
      }
    }
    return spacedColon && indexOf(body, from, to, FILTER) >= 0;
  }

  private static boolean startsWith(byte[] b, int at, int to, byte[] what) {
    if (at + what.length > to) {
      return false;
    }
    for (int k = 0; k < what.length; k++) {
      if (b[at + k] != what[k]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] b, int from, int to, byte[] what) {
    for (int i = from; i + what.length <= to; i++) {
      if (startsWith(b, i, to, what)) {
        return i;
      }
    }
    return -1;
  }

  /** The findings of one answer body: an error, a completion, or a stream chunk. */
  public static List<GuardFinding> of(JsonNode body) {
    List<GuardFinding> out = new ArrayList<>();
    if (body == null || !body.isObject()) {
      return out;
    }
    JsonNode error = body.get("error");
    if (error != null && "content_filter".equals(error.path("code").asText())) {
      categories(error.path("innererror").path("content_filter_result"), true, out);
      if (out.isEmpty()) {
        out.add(GuardFinding.whole(GuardAction.BLOCK, "content_filter", 4, "azure"));
      }
      return out;
    }
    for (JsonNode prompt : body.path("prompt_filter_results")) {
      categories(prompt.path("content_filter_results"), false, out);
    }
    for (JsonNode choice : body.path("choices")) {
      int before = out.size();
      categories(choice.path("content_filter_results"), false, out);
      boolean cut = "content_filter".equals(choice.path("finish_reason").asText());
      if (cut && out.stream().skip(before).noneMatch(f -> f.action() == GuardAction.BLOCK)) {
        out.add(GuardFinding.whole(GuardAction.BLOCK, "content_filter", 4, "azure"));
      }
    }
    return out;
  }

  private static void categories(JsonNode results, boolean refused, List<GuardFinding> out) {
    if (results == null || !results.isObject()) {
      return;
    }
    results.properties().forEach(e -> {
      JsonNode r = e.getValue();
      boolean filtered = r.path("filtered").asBoolean(false);
      boolean detected = r.path("detected").asBoolean(false);
      Integer severity = SEVERITY.get(r.path("severity").asText(""));
      String category = e.getKey().equals("custom_blocklists") ? "blocklist" : e.getKey();
      String rule = "azure";
      if (e.getKey().equals("custom_blocklists")) {
        for (JsonNode d : r.path("details")) {
          if (d.path("filtered").asBoolean(false)) {
            rule = "azure:" + d.path("id").asText("blocklist");
            break;
          }
        }
      }
      if (filtered) {
        out.add(GuardFinding.whole(GuardAction.BLOCK, category, severity == null ? 4 : severity, rule));
      } else if (detected || severity != null && severity > 0) {
        out.add(GuardFinding.whole(refused ? GuardAction.BLOCK : GuardAction.LOG, category,
            severity == null ? 4 : severity, rule));
      }
    });
  }
}
