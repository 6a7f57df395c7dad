package dev.spillway.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.forward.dialect.Dialect;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import org.junit.jupiter.api.Test;

class BackendUrisTest {
  private static BackendConfig backend(String id, BackendType type, String url) {
    return BackendConfig.builder().id(id).type(type).url(URI.create(url)).deployment("gpt 4o/x")
        .auth(BackendAuth.apiKey("k")).tier(Tier.PAYG).priority(1).region("test").build();
  }

  /** What the request used to be given: the absolute URL, parsed by Vert.x. */
  private static RequestOptions parsed(BackendConfig backend, Operation operation) {
    return new RequestOptions().setAbsoluteURI(Dialect.of(backend).uri(backend, operation));
  }

  @Test
  void setsWhatTheAbsoluteUrlWouldForEveryOperationNotOnAnObject() {
    for (BackendConfig backend : new BackendConfig[] {
        backend("azure", BackendType.AZURE, "https://res.openai.azure.com/"),
        backend("openai", BackendType.OPENAI, "http://127.0.0.1:8089/base")}) {
      for (Operation operation : Operation.values()) {
        if (operation.onObject()) {
          continue;
        }
        RequestOptions expected = parsed(backend, operation);
        RequestOptions actual = BackendUris.target(new RequestOptions(), Dialect.of(backend), backend, operation);
        assertThat(actual.getHost()).as(operation.name()).isEqualTo(expected.getHost());
        assertThat(actual.getPort()).as(operation.name()).isEqualTo(expected.getPort());
        assertThat(actual.isSsl()).as(operation.name()).isEqualTo(expected.isSsl());
        assertThat(actual.getURI()).as(operation.name()).isEqualTo(expected.getURI());
      }
    }
  }

  @Test
  void aReloadedBackendWithTheSameIdGetsItsNewUrl() {
    BackendConfig before = backend("b1", BackendType.AZURE, "https://old.openai.azure.com");
    BackendConfig after = backend("b1", BackendType.AZURE, "http://new.example:8443");
    BackendUris.target(new RequestOptions(), Dialect.of(before), before, Operation.CHAT_COMPLETIONS);

    RequestOptions options = BackendUris.target(new RequestOptions(), Dialect.of(after), after, Operation.CHAT_COMPLETIONS);

    assertThat(options.getHost()).isEqualTo("new.example");
    assertThat(options.getPort()).isEqualTo(8443);
    assertThat(options.isSsl()).isFalse();
  }
}
