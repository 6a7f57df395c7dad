package dev.spillway.core.chargeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportRequestTest {
  private static final Instant NOW = Instant.parse("2026-11-25T09:30:00Z");

  @Test
  void defaultsAreThisMonthByTeamInTheCallersFormat() {
    ReportRequest r = ReportRequest.parse(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(" "), ReportFormat.JSON, NOW);
    assertThat(r).isEqualTo(new ReportRequest(
        new ReportPeriod(Instant.parse("2026-11-01T00:00:00Z"), NOW), ReportDimension.TEAM, ReportFormat.JSON));
  }

  @Test
  void everyParameterIsRead() {
    ReportRequest r = ReportRequest.parse(Optional.of("2026-10-01"), Optional.of("2026-11-01"), Optional.of("MODEL"),
        Optional.of("csv"), ReportFormat.TABLE, NOW);
    assertThat(r.by()).isEqualTo(ReportDimension.MODEL);
    assertThat(r.format()).isEqualTo(ReportFormat.CSV);
    assertThat(r.period().from()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
  }

  @Test
  void anUnknownDimensionOrFormatIsNamed() {
    ReportParameterException by = catchThrowableOfType(ReportParameterException.class, () -> ReportRequest.parse(
        Optional.empty(), Optional.empty(), Optional.of("planet"), Optional.empty(), ReportFormat.TABLE, NOW));
    assertThat(by.parameter()).isEqualTo("by");
    assertThat(by).hasMessage("by must be one of team|consumer|model|backend|tier|operation|user, got \"planet\"");
    ReportParameterException format = catchThrowableOfType(ReportParameterException.class, () -> ReportRequest.parse(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("xml"), ReportFormat.TABLE, NOW));
    assertThat(format.parameter()).isEqualTo("format");
    assertThat(format).hasMessage("format must be one of table|csv|json, got \"xml\"");
  }

  @Test
  void thePromptCacheReportIsByConsumerUnlessByTeam() {
    ReportRequest byDefault = ReportRequest.parse(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of("TRUE"), ReportFormat.JSON, NOW);
    assertThat(byDefault.promptCache()).isTrue();
    assertThat(byDefault.by()).isEqualTo(ReportDimension.CONSUMER);
    assertThat(ReportRequest.parse(Optional.empty(), Optional.empty(), Optional.of("team"), Optional.empty(),
        Optional.of("true"), ReportFormat.JSON, NOW).by()).isEqualTo(ReportDimension.TEAM);
    assertThat(ReportRequest.parse(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of("false"), ReportFormat.JSON, NOW)).isEqualTo(new ReportRequest(
            new ReportPeriod(Instant.parse("2026-11-01T00:00:00Z"), NOW), ReportDimension.TEAM, ReportFormat.JSON));
  }

  @Test
  void aBadCacheValueOrAGroupingThePromptCacheReportDoesNotHaveIsNamed() {
    ReportParameterException cache = catchThrowableOfType(ReportParameterException.class, () -> ReportRequest.parse(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("yes"), ReportFormat.TABLE,
        NOW));
    assertThat(cache.parameter()).isEqualTo("cache");
    assertThat(cache).hasMessage("cache must be true or false, got \"yes\"");
    ReportParameterException by = catchThrowableOfType(ReportParameterException.class, () -> ReportRequest.parse(
        Optional.empty(), Optional.empty(), Optional.of("backend"), Optional.empty(), Optional.of("true"),
        ReportFormat.TABLE, NOW));
    assertThat(by.parameter()).isEqualTo("by");
    assertThat(by).hasMessageContaining("consumer or team");
  }
}
