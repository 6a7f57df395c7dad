package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.routing.AttemptFeedback.BreakerVerdict;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What an attempt does to its backend, decided as a pure function of what it showed. */
class AttemptFeedbackTest {
  private static final RoutingConfig ROUTING = RoutingConfig.DEFAULTS;

  @Test
  void aThrottleLastsWhatTheBackendAskedWithinTheConfiguredMaximum() {
    assertThat(AttemptFeedback.throttleMillis(ROUTING, OptionalLong.of(1_500))).isEqualTo(1_500);
    assertThat(AttemptFeedback.throttleMillis(ROUTING, OptionalLong.empty())).isEqualTo(ROUTING.defaultRetryAfter().toMillis());
    assertThat(AttemptFeedback.throttleMillis(ROUTING, OptionalLong.of(86_400_000))).isEqualTo(ROUTING.maxRetryAfter().toMillis());
    assertThat(AttemptFeedback.throttleMillis(ROUTING, OptionalLong.of(-5))).isZero();
  }

  @Test
  void a429HeadThrottlesAndTheBreakerWaitsForTheEnd() {
    AttemptFeedback head = AttemptFeedback.ofResponseHead(429, Map.<String, String>of()::get, OptionalLong.of(2_000), ROUTING);
    assertThat(head.throttleMillis()).hasValue(2_000);
    assertThat(head.breaker()).isEqualTo(BreakerVerdict.NONE);
    assertThat(AttemptFeedback.ofEnd(AttemptResult.THROTTLED, 429, OptionalLong.of(2_000), ROUTING).breaker())
        .isEqualTo(BreakerVerdict.IGNORED);
  }

  @Test
  void reportedLoadIsReadFromTheHeadersAndOddValuesAreIgnored() {
    AttemptFeedback ok =
        AttemptFeedback.ofResponseHead(
            200,
            Map.of("azure-openai-deployment-utilization", " 87.5% ", "x-ratelimit-remaining-tokens", "1200")::get,
            OptionalLong.empty(),
            ROUTING);
    assertThat(ok.utilizationPercent()).isEqualTo(OptionalDouble.of(87.5));
    assertThat(ok.remainingTokens()).hasValue(1_200);
    assertThat(ok.throttleMillis()).isEmpty();

    AttemptFeedback odd =
        AttemptFeedback.ofResponseHead(
            200,
            Map.of("azure-openai-deployment-utilization", "NaN", "x-ratelimit-remaining-tokens", "-3")::get,
            OptionalLong.empty(),
            ROUTING);
    assertThat(odd.utilizationPercent()).isEmpty();
    assertThat(odd.remainingTokens()).isEmpty();
  }

  @Test
  void onlyTheBackendsOwnFailuresCountAgainstIt() {
    for (AttemptResult r : new AttemptResult[] {AttemptResult.OK, AttemptResult.CLIENT_ERROR}) {
      assertThat(AttemptFeedback.ofEnd(r, 200, OptionalLong.empty(), ROUTING).breaker()).as(r.name()).isEqualTo(BreakerVerdict.SUCCESS);
    }
    for (AttemptResult r : new AttemptResult[] {AttemptResult.CONNECT_ERROR, AttemptResult.TIMEOUT, AttemptResult.INVALID_RESPONSE,
        AttemptResult.STREAM_INTERRUPTED}) {
      assertThat(AttemptFeedback.ofEnd(r, 0, OptionalLong.empty(), ROUTING).breaker()).as(r.name()).isEqualTo(BreakerVerdict.FAILURE);
    }
    for (AttemptResult r : new AttemptResult[] {AttemptResult.CANCELLED, AttemptResult.CREDENTIAL_ERROR,
        AttemptResult.UPSTREAM_AUTH_FAILED, AttemptResult.THROTTLED}) {
      assertThat(AttemptFeedback.ofEnd(r, 0, OptionalLong.empty(), ROUTING).breaker()).as(r.name()).isEqualTo(BreakerVerdict.IGNORED);
    }
  }

  @Test
  void aCountedServerErrorCarriesItsRetryAfterCapped() {
    int counted = ROUTING.breaker().failureStatuses().iterator().next();
    AttemptFeedback f = AttemptFeedback.ofEnd(AttemptResult.SERVER_ERROR, counted, OptionalLong.of(86_400_000), ROUTING);
    assertThat(f.breaker()).isEqualTo(BreakerVerdict.FAILURE);
    assertThat(f.breakerRetryAfterMillis()).hasValue(ROUTING.maxRetryAfter().toMillis());

    AttemptFeedback notCounted = AttemptFeedback.ofEnd(AttemptResult.SERVER_ERROR, 501, OptionalLong.of(1_000), ROUTING);
    assertThat(ROUTING.breaker().failureStatuses()).doesNotContain(501);
    assertThat(notCounted.breaker()).isEqualTo(BreakerVerdict.IGNORED);
    assertThat(notCounted.breakerRetryAfterMillis()).isEmpty();
  }
}
