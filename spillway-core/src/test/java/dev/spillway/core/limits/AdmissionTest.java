package dev.spillway.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  private static final long NOW = Instant.parse("2025-03-10T12:00:30Z").toEpochMilli();
  private static final LimitCheck TPM = new LimitCheck("consumer=a", LimitRule.tokensPerMinute(1000));
  private static final LimitCheck RPM = new LimitCheck("consumer=a", LimitRule.requestsPerMinute(10));
  private static final LimitCheck DAY = new LimitCheck("consumer=a", new LimitRule(LimitKind.TOKENS_PER_DAY, 50_000));

  @Test
  void rateDenialSaysWhichLimitAndWhenItResets() {
    Admission.Denied denied = Admission.Denied.of(TPM, 200, Window.of(LimitKind.TOKENS_PER_MINUTE, NOW).endEpochMillis(), NOW);
    assertThat(denied.quota()).isFalse();
    assertThat(denied.retryAfterMillis()).isEqualTo(30_000);
    assertThat(denied.exceedsWholeLimit()).isFalse();
    assertThat(denied.message())
        .isEqualTo("Rate limit of 1000 tokens per minute reached; it resets at 2025-03-10T12:01:00Z. "
            + "Please retry after 30 seconds.");
  }

  @Test
  void quotaDenialSaysWhenThePeriodResets() {
    Admission.Denied denied = Admission.Denied.of(DAY, 200, Window.of(LimitKind.TOKENS_PER_DAY, NOW).endEpochMillis(), NOW);
    assertThat(denied.quota()).isTrue();
    assertThat(denied.message()).isEqualTo("Token quota of 50000 tokens per day exhausted; it resets at 2025-03-11T00:00:00Z.");
  }

  @Test
  void aReservationLargerThanTheWholeLimitSaysWaitingWillNotHelp() {
    Admission.Denied denied = Admission.Denied.of(TPM, 4000, NOW + 30_000, NOW);
    assertThat(denied.exceedsWholeLimit()).isTrue();
    assertThat(denied.message()).contains("needs 4000 tokens", "whole limit of 1000 tokens per minute", "max_tokens");
  }

  @Test
  void aNeverFittingDenialOutranksALongerOneWhichOutranksAShorterOne() {
    Admission.Denied minute = Admission.Denied.of(TPM, 200, NOW + 30_000, NOW);
    Admission.Denied day = Admission.Denied.of(DAY, 200, NOW + 40_000_000, NOW);
    Admission.Denied never = Admission.Denied.of(TPM, 4000, NOW + 30_000, NOW);
    assertThat(day.outranks(minute)).isTrue();
    assertThat(minute.outranks(day)).isFalse();
    assertThat(never.outranks(day)).isTrue();
    assertThat(day.outranks(never)).isFalse();
  }

  @Test
  void tightestPicksTheLeastRoomPerUnit() {
    LimitCheck otherTpm = new LimitCheck("model=m", LimitRule.tokensPerMinute(500));
    Admission.Allowed allowed = new Admission.Allowed(List.of(
        new Remaining(TPM, 1000, 800, 1), new Remaining(otherTpm, 500, 300, 2), new Remaining(RPM, 10, 9, 3)));
    assertThat(allowed.tightestTokens()).map(Remaining::check).contains(otherTpm);
    assertThat(allowed.tightestRequests()).map(Remaining::remaining).contains(9L);
    assertThat(new Admission.Allowed(List.of()).tightestTokens()).isEmpty();
  }
}
