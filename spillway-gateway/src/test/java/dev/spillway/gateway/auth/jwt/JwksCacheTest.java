package dev.spillway.gateway.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.spillway.core.time.ManualTicker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The cache's rules against a source whose loads the test completes by hand. */
class JwksCacheTest {
  private static final RSAKey KEY_1 = Tokens.rsaKey("k1");
  private static final RSAKey KEY_2 = Tokens.rsaKey("k2");
  private static final Duration MIN_REFRESH = Duration.ofSeconds(30);
  private static final Duration MAX_AGE = Duration.ofHours(1);

  private final ManualTicker ticker = new ManualTicker();
  private final ScriptedSource source = new ScriptedSource();
  private final JwksCache cache = new JwksCache("iss", source, ticker, MIN_REFRESH, MAX_AGE);

  /** Each load stays pending until the test completes it. */
  private static final class ScriptedSource implements JwksSource {
    final List<Promise<JWKSet>> loads = new ArrayList<>();

    @Override
    public synchronized Future<JWKSet> load() {
      Promise<JWKSet> load = Promise.promise();
      loads.add(load);
      return load.future();
    }

    synchronized Promise<JWKSet> last() {
      return loads.get(loads.size() - 1);
    }

    @Override
    public String describe() {
      return "scripted";
    }
  }

  private static JWKSelector kid(String keyId) {
    return new JWKSelector(new JWKMatcher.Builder().keyID(keyId).build());
  }

  private static JWKSet publicSet(JWK... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet();
  }

  private static List<String> keyIds(Future<List<JWK>> lookup) {
    return lookup.result().stream().map(JWK::getKeyID).toList();
  }

  @Test
  void coldLookupsShareOneLoad() {
    Future<List<JWK>> first = cache.keysMatching(kid("k1"));
    Future<List<JWK>> second = cache.keysMatching(kid("k1"));
    Future<List<JWK>> unknown = cache.keysMatching(kid("nope"));

    assertThat(source.loads).hasSize(1);
    source.last().complete(publicSet(KEY_1));

    assertThat(keyIds(first)).containsExactly("k1");
    assertThat(keyIds(second)).containsExactly("k1");
    assertThat(unknown.result()).isEmpty();
  }

  @Test
  void freshMatchingKeysAreServedWithoutLoading() {
    cache.keysMatching(kid("k1"));
    source.last().complete(publicSet(KEY_1));
    ticker.advance(MAX_AGE.minusSeconds(1));

    assertThat(keyIds(cache.keysMatching(kid("k1")))).containsExactly("k1");
    assertThat(source.loads).hasSize(1);
  }

  @Test
  void staleKeysAreReloadedAndAFailedReloadKeepsThem() {
    cache.keysMatching(kid("k1"));
    source.last().complete(publicSet(KEY_1));
    ticker.advance(MAX_AGE);

    Future<List<JWK>> lookup = cache.keysMatching(kid("k1"));
    assertThat(source.loads).hasSize(2);
    source.last().fail("down");

    assertThat(keyIds(lookup)).containsExactly("k1");
    assertThat(keyIds(cache.keysMatching(kid("k1")))).as("no new attempt within the interval").containsExactly("k1");
    assertThat(source.loads).hasSize(2);
  }

  @Test
  void unknownKeyIdReloadsOncePerInterval() {
    cache.keysMatching(kid("k1"));
    source.last().complete(publicSet(KEY_1));

    assertThat(cache.keysMatching(kid("k2")).result()).as("inside the interval: answered at once").isEmpty();
    ticker.advance(MIN_REFRESH);
    Future<List<JWK>> lookup = cache.keysMatching(kid("k2"));
    source.last().complete(publicSet(KEY_1, KEY_2));

    assertThat(keyIds(lookup)).containsExactly("k2");
    assertThat(source.loads).hasSize(2);
  }

  @Test
  void aLoadThatFailsBeforeAnyKeysIsUnavailableUntilTheIntervalPasses() {
    Future<List<JWK>> first = cache.keysMatching(kid("k1"));
    source.last().fail("down");

    assertThat(first.failed()).isTrue();
    assertThat(cache.keysMatching(kid("k1")).failed()).isTrue();
    assertThat(source.loads).hasSize(1);

    ticker.advance(MIN_REFRESH);
    Future<List<JWK>> retry = cache.keysMatching(kid("k1"));
    source.last().complete(publicSet(KEY_1));
    assertThat(keyIds(retry)).containsExactly("k1");
  }

  @Test
  void decideIsAPureFunctionOfStateAndTime() {
    long minRefresh = MIN_REFRESH.toNanos();
    JwksCache.State never = JwksCache.State.EMPTY;
    JwksCache.State failedOnce = new JwksCache.State(Optional.empty(), 0, OptionalLong.of(0), Optional.empty());
    JwksCache.State loaded = new JwksCache.State(Optional.of(publicSet(KEY_1)), 0, OptionalLong.of(0), Optional.empty());
    JwksCache.State loading = loaded.loading(Promise.<JWKSet>promise().future(), minRefresh);

    assertThat(cache.decide(never, false, 0)).isEqualTo(JwksCache.Step.FETCH);
    assertThat(cache.decide(failedOnce, false, minRefresh - 1)).isEqualTo(JwksCache.Step.UNAVAILABLE);
    assertThat(cache.decide(failedOnce, false, minRefresh)).isEqualTo(JwksCache.Step.FETCH);
    assertThat(cache.decide(loaded, true, 1)).isEqualTo(JwksCache.Step.USE_CACHED);
    assertThat(cache.decide(loaded, false, minRefresh - 1)).isEqualTo(JwksCache.Step.USE_CACHED);
    assertThat(cache.decide(loaded, false, minRefresh)).isEqualTo(JwksCache.Step.FETCH);
    assertThat(cache.decide(loaded, true, MAX_AGE.toNanos())).isEqualTo(JwksCache.Step.FETCH);
    assertThat(cache.decide(loading, false, minRefresh)).isEqualTo(JwksCache.Step.JOIN_IN_FLIGHT);
    assertThat(cache.decide(loading, true, minRefresh)).isEqualTo(JwksCache.Step.USE_CACHED);
  }
}
