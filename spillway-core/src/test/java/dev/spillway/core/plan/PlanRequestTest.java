package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanRequestTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

  private static PlanRequest parse(String from, String to, String period, String maxSpill, String format) {
    return PlanRequest.parse(Optional.ofNullable(from), Optional.ofNullable(to), Optional.ofNullable(period),
        Optional.empty(), Optional.empty(), Optional.ofNullable(maxSpill), Optional.empty(), Optional.ofNullable(format),
        NOW);
  }

  @Test
  void theDefaultIsTheWeekUpToNowAsATableWithoutTarget() {
    PlanRequest r = parse(null, null, null, null, null);
    assertThat(r.period().from()).isEqualTo(Instant.parse("2026-11-13T12:00:00Z"));
    assertThat(r.period().to()).isEqualTo(NOW);
    assertThat(r.format()).isEqualTo(PlanFormat.TABLE);
    assertThat(r.target()).isEqualTo(PlanTarget.NONE);
    assertThat(r.models()).isEmpty();
    assertThat(r.candidates()).isEmpty();
  }

  @Test
  void aPeriodCountsBackFromTo() {
    PlanRequest r = parse(null, "2026-11-10", "1d", null, "json");
    assertThat(r.period().from()).isEqualTo(Instant.parse("2026-11-09T00:00:00Z"));
    assertThat(r.period().to()).isEqualTo(Instant.parse("2026-11-10T00:00:00Z"));
    assertThat(r.format()).isEqualTo(PlanFormat.JSON);
  }

  @Test
  void modelsCandidatesAndTargetsAreRead() {
    PlanRequest r = PlanRequest.parse(Optional.of("2026-11-01"), Optional.empty(), Optional.empty(),
        Optional.of("gpt-4o, chat,gpt-4o"), Optional.of("0,15..25/5"), Optional.of("2.5%"),
        Optional.of(Duration.ofSeconds(2)), Optional.empty(), NOW);
    assertThat(r.models()).containsExactly("gpt-4o", "chat");
    assertThat(r.candidates()).contains(List.of(0, 15, 20, 25));
    assertThat(r.target().maxSpillShare().getAsDouble()).isEqualTo(0.025);
    assertThat(r.target().maxP99Wait()).contains(Duration.ofSeconds(2));
    assertThat(parse(null, null, null, "5", null).target().maxSpillShare().getAsDouble()).isEqualTo(0.05);
  }

  @Test
  void badValuesAreOneLineNamingTheOption() {
    assertThatThrownBy(() -> parse("2026-11-01", null, "1d", null, null)).hasMessage("give --from or --period, not both");
    assertThatThrownBy(() -> parse(null, null, "a week", null, null))
        .hasMessage("period must be a duration such as 1d, 12h or 7d, got \"a week\"");
    assertThatThrownBy(() -> parse(null, null, null, "lots", null))
        .hasMessage("max-spill must be a percentage from 0 to 100 such as 5% or 2.5, got \"lots\"");
    assertThatThrownBy(() -> parse(null, null, null, "150%", null)).hasMessageContaining("from 0 to 100");
    assertThatThrownBy(() -> parse(null, null, null, null, "csv")).hasMessage("format must be one of table|json, got \"csv\"");
    assertThatThrownBy(() -> parse("2026-11-21", null, null, null, null))
        .hasMessage("from (2026-11-21T00:00:00Z) must be before to (2026-11-20T12:00:00Z)");
    assertThatThrownBy(() -> parse("yesterday", null, null, null, null))
        .hasMessage("from must be an ISO date (2026-11-01) or instant (2026-11-01T00:00:00Z), got \"yesterday\"");
  }
}
