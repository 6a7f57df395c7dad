package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.ledger.EndUser;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.SafetyTotals;
import dev.spillway.core.ledger.SafetyTotals.Bucket;
import dev.spillway.core.ledger.SafetyTotals.CategoryCounts;
import dev.spillway.core.ledger.SafetyTotals.EndUserCounts;
import dev.spillway.core.ledger.SafetyTotals.SeverityCounts;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.core.ledger.SafetyVerdict.Level;
import dev.spillway.core.ledger.TimeBucket;
import dev.spillway.core.ledger.UsageRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every ledger store's {@link LedgerReader#safety} must count, part of the store contract: each store's test
 * extends {@link LedgerStoreContract} and implements this, so both stores run the same tests on rows written through
 * their own sink.
 */
interface SafetyReaderContract {
  Instant DAY1 = Instant.parse("2025-03-01T00:00:00Z");
  Instant DAY2 = Instant.parse("2025-03-02T00:00:00Z");

  LedgerSink sink();

  LedgerReader reader();

  static UsageRecord row(String id, Instant time, String consumer, String endUser, Level level, String category) {
    return UsageRecord.builder(id, time).consumer(consumer).team("team-" + consumer).clientIp("10.0.0.1")
        .route("chat").model("gpt-4o").backend("payg-1").tier("payg").region("eastus")
        .status(level == Level.BLOCKED ? 400 : 200).tokens(10, level == Level.BLOCKED ? 0 : 5, 0, 0).latencyMillis(50)
        .attempts(1).endUser(EndUser.of(endUser))
        .safety(level == Level.NONE ? SafetyVerdict.NONE : new SafetyVerdict(level, category)).build();
  }

  static UsageRecord at(String id, String time, Level level, String category) {
    return row(id, Instant.parse(time), "alice", "", level, category);
  }

  static UsageRecord severe(String id, String time, Level level, String category, int severity) {
    return at(id, time, level, category).toBuilder()
        .safety(level == Level.NONE ? SafetyVerdict.NONE : new SafetyVerdict(level, category, severity)).build();
  }

  /**
   * Hour 10: a plain row, pii.email logged and masked, prompt_injection blocked, pii.credit_card masked a millisecond
   * before 11. Hour 11: a plain row and hate blocked. Hour 13: a verdict logged without a category. The next day at
   * 00:30: prompt_injection blocked. Around them, a blocked row just before the period and one at its end.
   */
  private void writeTheDay() throws Exception {
    sink().write(List.of(
        at("early", "2025-03-01T09:59:59.999Z", Level.BLOCKED, "hate"),
        at("h10-plain", "2025-03-01T10:00:00Z", Level.NONE, ""),
        at("h10-logged", "2025-03-01T10:05:00Z", Level.LOGGED, "pii.email"),
        at("h10-masked", "2025-03-01T10:10:00Z", Level.MASKED, "pii.email"),
        at("h10-blocked", "2025-03-01T10:20:00Z", Level.BLOCKED, "prompt_injection"),
        at("h10-card", "2025-03-01T10:59:59.999Z", Level.MASKED, "pii.credit_card"),
        at("h11-plain", "2025-03-01T11:00:00Z", Level.NONE, ""),
        at("h11-hate", "2025-03-01T11:30:00Z", Level.BLOCKED, "hate"),
        at("h13-bare", "2025-03-01T13:15:00Z", Level.LOGGED, ""),
        at("d2-blocked", "2025-03-02T00:30:00Z", Level.BLOCKED, "prompt_injection"),
        at("at-end", "2025-03-02T01:00:00Z", Level.BLOCKED, "hate")));
  }

  @Test
  default void countsEachHoursRowsAndItsVerdictsPerCategory() throws Exception {
    writeTheDay();

    SafetyTotals totals = reader().safety(Instant.parse("2025-03-01T10:00:00Z"), Instant.parse("2025-03-02T01:00:00Z"),
        TimeBucket.HOUR);

    assertThat(totals.buckets()).containsExactly(
        new Bucket(Instant.parse("2025-03-01T10:00:00Z"), 5, List.of(
            new CategoryCounts("pii.credit_card", 0, 1, 0),
            new CategoryCounts("pii.email", 1, 1, 0),
            new CategoryCounts("prompt_injection", 0, 0, 1))),
        new Bucket(Instant.parse("2025-03-01T11:00:00Z"), 2, List.of(new CategoryCounts("hate", 0, 0, 1))),
        new Bucket(Instant.parse("2025-03-01T13:00:00Z"), 1, List.of(new CategoryCounts("", 1, 0, 0))),
        new Bucket(Instant.parse("2025-03-02T00:00:00Z"), 1, List.of(new CategoryCounts("prompt_injection", 0, 0, 1))));
  }

  @Test
  default void aDayBucketHoldsItsHoursAndABucketThePeriodCutsHoldsOnlyThePeriodsRows() throws Exception {
    writeTheDay();

    // the whole first day, the row before 10 o'clock included
    assertThat(reader().safety(DAY1, DAY2.plusSeconds(3_600), TimeBucket.DAY).buckets()).containsExactly(
        new Bucket(DAY1, 9, List.of(
            new CategoryCounts("", 1, 0, 0),
            new CategoryCounts("hate", 0, 0, 2),
            new CategoryCounts("pii.credit_card", 0, 1, 0),
            new CategoryCounts("pii.email", 1, 1, 0),
            new CategoryCounts("prompt_injection", 0, 0, 1))),
        new Bucket(DAY2, 1, List.of(new CategoryCounts("prompt_injection", 0, 0, 1))));
    // from 10:15 to 11:00: the 10 o'clock bucket, with the two rows from 10:15 on
    assertThat(reader().safety(Instant.parse("2025-03-01T10:15:00Z"), Instant.parse("2025-03-01T11:00:00Z"),
        TimeBucket.HOUR).buckets()).containsExactly(new Bucket(Instant.parse("2025-03-01T10:00:00Z"), 2, List.of(
            new CategoryCounts("pii.credit_card", 0, 1, 0), new CategoryCounts("prompt_injection", 0, 0, 1))));
  }

  @Test
  default void countsEachCategorysRowsPerSeverity() throws Exception {
    sink().write(List.of(
        severe("v6", "2025-03-01T10:01:00Z", Level.BLOCKED, "violence", 6),
        severe("v6b", "2025-03-01T10:02:00Z", Level.BLOCKED, "violence", 6),
        severe("v4", "2025-03-01T10:03:00Z", Level.BLOCKED, "violence", 4),
        severe("v2", "2025-03-01T10:04:00Z", Level.LOGGED, "violence", 2),
        severe("h2", "2025-03-01T10:05:00Z", Level.MASKED, "hate", 2),
        severe("plain", "2025-03-01T10:06:00Z", Level.NONE, "", 0),
        severe("h7", "2025-03-01T11:00:00Z", Level.BLOCKED, "hate", 7)));

    List<Bucket> hours = reader().safety(DAY1, DAY2, TimeBucket.HOUR).buckets();
    assertThat(hours).containsExactly(
        new Bucket(Instant.parse("2025-03-01T10:00:00Z"), 6, List.of(
            new CategoryCounts("hate", 0, 1, 0, List.of(new SeverityCounts(2, 0, 1, 0))),
            new CategoryCounts("violence", 1, 0, 3, List.of(new SeverityCounts(2, 1, 0, 0),
                new SeverityCounts(4, 0, 0, 1), new SeverityCounts(6, 0, 0, 2))))),
        new Bucket(Instant.parse("2025-03-01T11:00:00Z"), 1, List.of(
            new CategoryCounts("hate", 0, 0, 1, List.of(new SeverityCounts(7, 0, 0, 1))))));
    assertThat(hours.getFirst().severities()).containsExactly(new SeverityCounts(2, 1, 1, 0),
        new SeverityCounts(4, 0, 0, 1), new SeverityCounts(6, 0, 0, 2));
    Bucket day = reader().safety(DAY1, DAY2, TimeBucket.DAY).buckets().getFirst();
    assertThat(day.severities()).containsExactly(new SeverityCounts(2, 1, 1, 0), new SeverityCounts(4, 0, 0, 1),
        new SeverityCounts(6, 0, 0, 2), new SeverityCounts(7, 0, 0, 1));
    assertThat(day.maxSeverity()).isEqualTo(7);
    assertThat(day.categories()).extracting(CategoryCounts::category, CategoryCounts::maxSeverity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hate", 7),
            org.assertj.core.groups.Tuple.tuple("violence", 6));
  }

  @Test
  default void rowsBeforeTheEpochFallInTheHourTheyBelongTo() throws Exception {
    sink().write(List.of(at("old", "1969-12-31T23:30:00Z", Level.BLOCKED, "hate")));

    Instant hour = TimeBucket.HOUR.startOf(Instant.parse("1969-12-31T23:30:00Z"));
    assertThat(reader().safety(Instant.parse("1969-12-31T00:00:00Z"), Instant.EPOCH, TimeBucket.HOUR).buckets())
        .containsExactly(new Bucket(hour, 1, List.of(new CategoryCounts("hate", 0, 0, 1))));
  }

  @Test
  default void aBucketWithoutVerdictsCountsItsRequestsAndAnEmptyPeriodHasNothing() throws Exception {
    sink().write(List.of(at("a", "2025-03-01T10:00:00Z", Level.NONE, ""), at("b", "2025-03-01T10:01:00Z", Level.NONE,
        "")));

    SafetyTotals totals = reader().safety(DAY1, DAY2, TimeBucket.HOUR);
    assertThat(totals.buckets()).containsExactly(new Bucket(Instant.parse("2025-03-01T10:00:00Z"), 2, List.of()));
    assertThat(totals.endUsers()).isEmpty();
    assertThat(reader().safety(DAY2, DAY2.plusSeconds(86_400), TimeBucket.DAY))
        .isEqualTo(new SafetyTotals(List.of(), List.of()));
  }

  @Test
  default void countsEachFlaggedEndUserOfEachConsumerOverThePeriod() throws Exception {
    Instant t = DAY1.plusSeconds(3_600);
    sink().write(List.of(
        row("a1", t, "alice", "u-1", Level.NONE, ""),
        row("a2", t.plusSeconds(1), "alice", "u-1", Level.NONE, ""),
        row("a3", t.plusSeconds(2), "alice", "u-1", Level.BLOCKED, "prompt_injection"),
        row("a4", t.plusSeconds(3), "alice", "u-1", Level.MASKED, "pii.email"),
        row("a5", t.plusSeconds(4), "alice", "u-1", Level.LOGGED, "pii.email"),
        row("a6", DAY2.plusSeconds(7_200), "alice", "u-1", Level.BLOCKED, "prompt_injection"),
        // never flagged in the period (only after it): left out
        row("n1", t, "alice", "u-2", Level.NONE, ""),
        row("n2", t, "alice", "u-2", Level.NONE, ""),
        row("n3", DAY2, "alice", "u-2", Level.BLOCKED, "hate"),
        // the same id under another consumer is another end user
        row("b1", t, "bob", "u-1", Level.LOGGED, "hate"),
        // requests that named no end user
        row("x1", t, "alice", "", Level.MASKED, "pii.email"),
        row("x2", t, "alice", "", Level.NONE, ""),
        // refused before a consumer was known
        row("r1", t, "", "someone", Level.BLOCKED, "blocklist")));

    assertThat(reader().safety(DAY1, DAY2, TimeBucket.DAY).endUsers()).containsExactlyInAnyOrder(
        new EndUserCounts("alice", "u-1", 5, 3, 1, Map.of("pii.email", 2L, "prompt_injection", 1L)),
        new EndUserCounts("bob", "u-1", 1, 1, 0, Map.of("hate", 1L)),
        new EndUserCounts("alice", "", 2, 1, 0, Map.of("pii.email", 1L)),
        new EndUserCounts("", "someone", 1, 1, 1, Map.of("blocklist", 1L)));
    assertThat(reader().safety(DAY2, DAY2.plusSeconds(86_400), TimeBucket.DAY).endUsers()).containsExactlyInAnyOrder(
        new EndUserCounts("alice", "u-1", 1, 1, 1, Map.of("prompt_injection", 1L)),
        new EndUserCounts("alice", "u-2", 1, 1, 1, Map.of("hate", 1L)));
  }
}
