package dev.spillway.gateway.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.GuardProfileSpec.ContentSafetySpec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A guard profile's Azure AI Content Safety: the caller's texts sent to {@code text:analyze} (four severity levels:
 * 0, 2, 4, 6) and, when asked, {@code text:shieldPrompt}, as findings of categories {@code hate}, {@code sexual},
 * {@code violence}, {@code self_harm} (BLOCK at or above the profile's threshold, LOG above 0) and {@code jailbreak}
 * (an attack the shield detected: BLOCK). A text longer than the service takes (10,000 characters) is sent in pieces.
 * A call that fails or takes longer than the timeout yields {@link Unavailable}; the guard then lets the request go
 * on or refuses it, as the profile's {@code failOpen} says. The key is sent in {@code Ocp-Apim-Subscription-Key} and
 * never logged. Thread-safe.
 */
public final class ContentSafetyClient {
  /** The longest text one call takes. */
  static final int MAX_CHARS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CATEGORIES =
      Map.of("Hate", "hate", "Sexual", "sexual", "Violence", "violence", "SelfHarm", "self_harm");

  /** The service did not answer: the request goes on or is refused, per {@code failOpen}. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String why) {
      super(why, null, false, false);
    }
  }

  private final HttpClient client;
  private final ContentSafetySpec spec;

  public ContentSafetyClient(HttpClient client, ContentSafetySpec spec) {
    this.client = client;
    this.spec = spec;
  }

  public boolean failOpen() {
    return spec.failOpen();
  }

  /** The findings for {@code texts}; fails with {@link Unavailable} when the service does not answer. */
  public Future<List<GuardFinding>> inspect(List<String> texts) {
    List<Future<List<GuardFinding>>> calls = new ArrayList<>();
    for (String text : texts) {
      for (int i = 0; i < text.length(); i += MAX_CHARS) {
        String piece = text.substring(i, Math.min(text.length(), i + MAX_CHARS));
        calls.add(analyze(piece));
        if (spec.shieldPrompt()) {
          calls.add(shield(piece));
        }
      }
    }
    return Future.all(calls).map(all -> {
      List<GuardFinding> found = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        found.addAll(all.<List<GuardFinding>>resultAt(i));
      }
      return found;
    });
  }

  private Future<List<GuardFinding>> analyze(String text) {
    ObjectNode body = JSON.createObjectNode().put("text", text).put("outputType", "FourSeverityLevels");
    return call("text:analyze", body).map(answer -> {
      List<GuardFinding> found = new ArrayList<>();
      for (JsonNode c : answer.path("categoriesAnalysis")) {
        String category = CATEGORIES.get(c.path("category").asText());
        int severity = c.path("severity").asInt(0);
        if (category != null && severity > 0) {
          GuardAction action = severity >= spec.thresholdOf(category) ? GuardAction.BLOCK : GuardAction.LOG;
          found.add(GuardFinding.whole(action, category, Math.min(7, severity), "content_safety"));
        }
      }
      return found;
    });
  }

  private Future<List<GuardFinding>> shield(String text) {
    ObjectNode body = JSON.createObjectNode().put("userPrompt", text);
    body.putArray("documents");
    return call("text:shieldPrompt", body).map(answer -> answer.path("userPromptAnalysis").path("attackDetected")
        .asBoolean(false)
        ? List.of(GuardFinding.whole(GuardAction.BLOCK, "jailbreak", 6, "content_safety.shield"))
        : List.of());
  }

  private Future<JsonNode> call(String operation, ObjectNode body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(spec.endpoint() + "/contentsafety/" + operation + "?api-version=" + spec.apiVersion())
        .putHeader("content-type", "application/json").putHeader("Ocp-Apim-Subscription-Key", spec.key())
        .setTimeout(spec.timeout().toMillis());
    return client.request(options)
        .compose(request -> request.send(Buffer.buffer(body.toString())))
        .compose(response -> response.body().map(b -> {
          if (response.statusCode() != 200) {
            throw new Unavailable("Content Safety " + operation + " answered " + response.statusCode());
          }
          try {
            return JSON.readTree(b.getBytes());
          } catch (IOException e) {
            throw new Unavailable("Content Safety " + operation + " answered no JSON");
          }
        }))
        .recover(failed -> Future.failedFuture(failed instanceof Unavailable u ? u
            : new Unavailable("Content Safety " + operation + " failed: " + failed.getClass().getSimpleName()
                .toLowerCase(Locale.ROOT))));
  }
}
