package dev.spillway.core.chargeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spillway.core.ledger.TimeBucket;
import java.time.Instant;
import java.util.Map;
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

  /** The general form, as the CLI and the admin API call it. */
  private static ReportRequest parse(Map<String, String> given) {
    return ReportRequest.parse(name -> Optional.ofNullable(given.get(name)), ReportFormat.JSON, NOW);
  }

  private static ReportParameterException refused(Map<String, String> given) {
    return catchThrowableOfType(ReportParameterException.class, () -> parse(given));
  }

  @Test
  void thePromptCacheReportIsByConsumerUnlessByTeam() {
    ReportRequest byDefault = parse(Map.of("cache", "TRUE"));
    assertThat(byDefault.promptCache()).isTrue();
    assertThat(byDefault.by()).isEqualTo(ReportDimension.CONSUMER);
    assertThat(parse(Map.of("cache", "true", "by", "team")).by()).isEqualTo(ReportDimension.TEAM);
    assertThat(parse(Map.of("cache", "false"))).isEqualTo(new ReportRequest(
        new ReportPeriod(Instant.parse("2026-11-01T00:00:00Z"), NOW), ReportDimension.TEAM, ReportFormat.JSON));
  }

  @Test
  void aBadCacheValueOrAGroupingThePromptCacheReportDoesNotHaveIsNamed() {
    ReportParameterException cache = refused(Map.of("cache", "yes"));
    assertThat(cache.parameter()).isEqualTo("cache");
    assertThat(cache).hasMessage("cache must be true or false, got \"yes\"");
    ReportParameterException by = refused(Map.of("cache", "true", "by", "backend"));
    assertThat(by.parameter()).isEqualTo("by");
    assertThat(by).hasMessageContaining("consumer or team");
  }

  @Test
  void theSafetyReportIsByDayUnlessByHour() {
    ReportRequest byDay = parse(Map.of("safety", "true", "format", "csv"));
    assertThat(byDay).isEqualTo(new ReportRequest(new ReportPeriod(Instant.parse("2026-11-01T00:00:00Z"), NOW),
        ReportDimension.TEAM, ReportFormat.CSV, ReportRequest.Kind.SAFETY, TimeBucket.DAY));
    assertThat(byDay.safety()).isTrue();
    assertThat(byDay.promptCache()).isFalse();
    assertThat(parse(Map.of("safety", "True", "bucket", " HOUR ")).bucket()).isEqualTo(TimeBucket.HOUR);
    assertThat(parse(Map.of("safety", "false", "cache", "true")).kind()).isEqualTo(ReportRequest.Kind.PROMPT_CACHE);
  }

  @Test
  void aSafetyParameterThatCannotBeUsedIsNamed() {
    assertThat(refused(Map.of("safety", "1"))).hasMessage("safety must be true or false, got \"1\"")
        .extracting(ReportParameterException::parameter).isEqualTo("safety");
    assertThat(refused(Map.of("safety", "true", "bucket", "week")))
        .hasMessage("bucket must be one of hour|day, got \"week\"")
        .extracting(ReportParameterException::parameter).isEqualTo("bucket");
    assertThat(refused(Map.of("bucket", "hour")))
        .hasMessage("bucket is only for the safety report")
        .extracting(ReportParameterException::parameter).isEqualTo("bucket");
    assertThat(refused(Map.of("safety", "true", "by", "user")))
        .hasMessage("the safety report is by time bucket (bucket=hour|day) and end user, not by \"user\"")
        .extracting(ReportParameterException::parameter).isEqualTo("by");
    assertThat(refused(Map.of("safety", "true", "cache", "true")))
        .hasMessage("cache and safety are two reports: ask for one")
        .extracting(ReportParameterException::parameter).isEqualTo("safety");
  }
}
