package dev.spillway.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.spillway.core.api.ApiRoute;
import dev.spillway.core.api.Operation;
import dev.spillway.core.api.RouteMatch;
import dev.spillway.core.api.RouteShape;
import dev.spillway.core.api.RouteTable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The route table over any method and path: it never throws, answers the same twice, tolerates one trailing slash,
 * and a match agrees with its path (the URL family, the operation's suffix, the methods it allows). Paths are raw
 * fuzz text or assembled from the table's own segments, percent escapes (broken ones too) and fuzz text; a second
 * half builds a well-formed URL for a chosen route and checks that exactly that route comes back.
 */
class RouteTableFuzzTest {
  private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get", ""};
  private static final String[] SEGMENTS = {
    "", "v1", "openai", "deployments", "chat", "completions", "embeddings", "models", "healthz", "readyz", "metrics",
    "dashboard", "admin", "backends", "consumers", "keys", "revoke", "force-open", "disable", "reset", "usage", ".",
    "..", "%", "%2", "%zz", "%2F", "%41", "%e2%82", "%C3%A9", "+", "gpt-4o", "api", "stats"
  };

  @FuzzTest(maxDuration = "5s")
  void matchesAnyPathConsistently(FuzzedDataProvider data) {
    String method = data.consumeBoolean() ? data.pickValue(METHODS) : data.consumeAsciiString(8);
    String path = data.consumeBoolean() ? assembledPath(data) : data.consumeString(256);
    checkConsistent(method, path);
    if (data.consumeBoolean()) {
      roundTrip(data);
    }
  }

  private static String assembledPath(FuzzedDataProvider data) {
    StringBuilder path = new StringBuilder();
    int segments = data.consumeInt(0, 6);
    for (int i = 0; i < segments; i++) {
      path.append('/').append(data.consumeBoolean() ? data.pickValue(SEGMENTS) : data.consumeString(12));
    }
    if (data.consumeBoolean()) {
      path.append('/');
    }
    return path.toString();
  }

  private static void checkConsistent(String method, String path) {
    RouteMatch match = RouteTable.match(method, path);
    assertThat(RouteTable.match(method, path)).as("the same answer twice").isEqualTo(match);
    if (!path.endsWith("/")) {
      assertThat(RouteTable.match(method, path + "/")).as("one trailing slash changes nothing").isEqualTo(match);
    }
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    switch (match) {
      case RouteMatch.NotFound nf -> {}
      case RouteMatch.WrongMethod wrong -> {
        assertThat(wrong.allowed()).isNotEmpty().doesNotContain(method);
        for (String allowed : wrong.allowed()) {
          assertThat(RouteTable.match(allowed, path)).as("%s %s", allowed, path).isInstanceOf(RouteMatch.Found.class);
        }
      }
      case RouteMatch.Found found -> agreesWithPath(method, trimmed, found.route());
    }
  }

  private static void agreesWithPath(String method, String path, ApiRoute route) {
    Operation op = route.operation();
    switch (route.shape()) {
      case OPENAI -> assertThat(path).startsWith("/v1/").endsWith(suffixOf(op));
      case AZURE_V1 -> assertThat(path).startsWith("/openai/v1/").endsWith(suffixOf(op));
      case AZURE_CLASSIC -> {
        assertThat(path).startsWith("/openai/deployments/").endsWith("/" + op.pathSuffix());
        assertThat(route.pathParam()).as("the deployment").isPresent();
      }
      case GATEWAY -> assertThat(path).startsWith("/" + op.pathSuffix());
      case ADMIN -> assertThat(path).startsWith("/admin/");
    }
    if (op.proxied()) {
      assertThat(method).isEqualTo("POST");
      assertThat(route.shape()).isIn(RouteShape.OPENAI, RouteShape.AZURE_V1, RouteShape.AZURE_CLASSIC);
    } else if (route.shape() != RouteShape.ADMIN) {
      assertThat(method).isIn("GET", "HEAD");
    }
  }

  private static String suffixOf(Operation op) {
    return op == Operation.GET_MODEL ? "" : op.pathSuffix();
  }

  /** A well-formed URL for a chosen route, with any name percent-encoded, gives back exactly that route. */
  private static void roundTrip(FuzzedDataProvider data) {
    String name = data.consumeString(24);
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);
    Operation proxied = data.pickValue(new Operation[] {Operation.CHAT_COMPLETIONS, Operation.COMPLETIONS, Operation.EMBEDDINGS});
    String base = data.pickValue(new String[] {"/v1/", "/openai/v1/"});
    RouteShape shape = base.equals("/v1/") ? RouteShape.OPENAI : RouteShape.AZURE_V1;
    assertThat(RouteTable.match("POST", base + proxied.pathSuffix()))
        .isEqualTo(new RouteMatch.Found(new ApiRoute(shape, proxied, Optional.empty())));
    if (name.isEmpty()) {
      return;
    }
    assertThat(RouteTable.match("POST", "/openai/deployments/" + encoded + "/" + proxied.pathSuffix()))
        .isEqualTo(new RouteMatch.Found(new ApiRoute(RouteShape.AZURE_CLASSIC, proxied, Optional.of(name))));
    assertThat(RouteTable.match("GET", base + "models/" + encoded))
        .isEqualTo(new RouteMatch.Found(new ApiRoute(shape, Operation.GET_MODEL, Optional.of(name))));
    assertThat(RouteTable.match("POST", "/admin/backends/" + encoded + "/reset"))
        .isEqualTo(new RouteMatch.Found(new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_RESET, Optional.of(name))));
    assertThat(RouteTable.match("DELETE", "/admin/consumers/" + encoded))
        .isEqualTo(new RouteMatch.Found(new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_DELETE_CONSUMER, Optional.of(name))));
  }
}
