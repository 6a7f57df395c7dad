package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.ledger.EndUser;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.PromptCacheTotals;
import dev.spillway.core.ledger.RecordedRequest;
import dev.spillway.core.ledger.SafetyTotals;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.core.ledger.TimeBucket;
import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.core.ledger.UsageTotals;
import dev.spillway.core.usage.BillingUnits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * What every ledger store (a {@link LedgerSink} with its {@link LedgerReader}) must do. A subclass gives an empty
 * store before each test and closes it after; the tests write through the sink and check the reader's exact sums and
 * the rows it streams back.
 */
abstract class LedgerStoreContract {
  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2025-03-01T11:00:00Z");

  /** The store's sink, empty at the start of each test. */
  protected abstract LedgerSink sink();

  /** A reader of the same store. */
  protected abstract LedgerReader reader();

  /** The store's salt for prompt prefix hashes, read as the gateway reads it ({@link Ledgers#salt}). */
  protected abstract byte[] salt() throws Exception;

  /**
   * One row's {@code end_user}, {@code safety_verdict}, {@code safety_category} and {@code safety_severity} (as text),
   * read straight from the store (no reader reads them back one row at a time).
   */
  protected abstract List<String> endUserAndSafety(String requestId) throws Exception;

  /**
   * Inserts a row straight into the store as a gateway before ledger schema version 7 wrote it: every column it knew,
   * {@code safety_severity} left to the store's default. Status 400, one prompt token, the consumer {@code alice}.
   */
  protected abstract void insertWithoutSeverity(String requestId, Instant time, String verdict, String category)
      throws Exception;

  static UsageRecord success(String id, Instant time, String consumer, String team, String model, String backend,
      String tier, long prompt, long completion, long cached, long reasoning) {
    return UsageRecord.builder(id, time).consumer(consumer).team(team).clientIp("10.0.0.1").route("chat").model(model)
        .backend(backend).tier(tier).region("eastus").status(200).tokens(prompt, completion, cached, reasoning)
        .latencyMillis(120).attempts(1).build();
  }

  static UsageRecord stream(String id, Instant time, long prompt, long completion, long ttftMillis) {
    return UsageRecord.builder(id, time).consumer("alice").team("team-a").clientIp("10.0.0.1").route("chat")
        .model("gpt-4o").backend("payg-1").tier("payg").region("westus").status(200).tokens(prompt, completion, 0, 0)
        .latencyMillis(900).ttftMillis(ttftMillis).attempts(2).spilled(true).build();
  }

  static UsageRecord estimated(String id, Instant time, long prompt, long completion) {
    return UsageRecord.builder(id, time).consumer("bob").team("team-b").clientIp("10.0.0.2").route("chat")
        .model("gpt-4o-mini").backend("payg-1").tier("payg").region("westus").status(200)
        .tokens(prompt, completion, 0, 0).usageEstimated(true).latencyMillis(300).attempts(1).build();
  }

  static UsageRecord failure(String id, Instant time, String consumer, String team, String model, int status) {
    return UsageRecord.builder(id, time).consumer(consumer).team(team).clientIp("10.0.0.3").route("chat").model(model)
        .status(status).latencyMillis(5).build();
  }

  @Test
  void sumsEachCombinationOfConsumerTeamModelBackendAndTier() throws Exception {
    sink().write(List.of(
        success("r1", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 100, 20, 5, 0),
        success("r2", T0.plusSeconds(1), "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 40, 10, 0, 3),
        stream("r3", T0.plusSeconds(2), 70, 30, 45),
        estimated("r4", T0.plusSeconds(3), 11, 7),
        failure("r5", T0.plusSeconds(4), "alice", "team-a", "gpt-4o", 429),
        failure("r6", T0.plusSeconds(5), "alice", "team-a", "gpt-4o", 502),
        failure("r7", T0.plusSeconds(6), "", "", "", 401)));

    assertThat(reader().totals(T0, T1)).containsExactlyInAnyOrder(
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "chat", 2, 0, 140, 30, 5, 3),
        new UsageTotals("alice", "team-a", "gpt-4o", "payg-1", "payg", "chat", 1, 0, 70, 30, 0, 0),
        new UsageTotals("bob", "team-b", "gpt-4o-mini", "payg-1", "payg", "chat", 1, 0, 11, 7, 0, 0),
        new UsageTotals("alice", "team-a", "gpt-4o", "", "", "chat", 2, 2, 0, 0, 0, 0),
        new UsageTotals("", "", "", "", "", "chat", 1, 1, 0, 0, 0, 0));
  }

  @Test
  void sumsEachOperationApart() throws Exception {
    UsageRecord chat = success("c1", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 100, 20, 0, 0);
    UsageRecord responses = UsageRecord.builder("r1", T0).consumer("alice").team("team-a").clientIp("10.0.0.1")
        .route("responses").model("gpt-4o").backend("ptu-1").tier("ptu").region("eastus").status(200)
        .tokens(50, 10, 0, 2).latencyMillis(120).attempts(1).build();
    UsageRecord retrieve = UsageRecord.builder("g1", T0).consumer("alice").team("team-a").clientIp("10.0.0.1")
        .route("responses.retrieve").model("gpt-4o").backend("ptu-1").tier("ptu").region("eastus").status(200)
        .latencyMillis(8).attempts(1).build();
    sink().write(List.of(chat, responses, retrieve));

    assertThat(reader().totals(T0, T1)).containsExactlyInAnyOrder(
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "chat", 1, 0, 100, 20, 0, 0),
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "responses", 1, 0, 50, 10, 0, 2),
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "responses.retrieve", 1, 0, 0, 0, 0, 0));
  }

  @Test
  void aRepeatedRequestIdKeepsTheFirstRow() throws Exception {
    sink().write(List.of(success("dup", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 100, 20, 0, 0)));
    sink().write(List.of(
        success("dup", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 9_999, 9_999, 0, 0),
        success("other", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 2, 0, 0)));
    // the same batch again, as after an uncertain failure
    sink().write(List.of(
        success("dup", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 9_999, 9_999, 0, 0),
        success("other", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 2, 0, 0)));

    assertThat(reader().totals(T0, T1)).containsExactly(
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "chat", 2, 0, 101, 22, 0, 0));
  }

  @Test
  void anInterruptedStreamCountsAsFailedAndKeepsTheTokensItStreamed() throws Exception {
    UsageRecord ok = stream("whole", T0, 10, 30, 200);
    UsageRecord cut = stream("cut", T0, 10, 7, 200).toBuilder().status(502).usageEstimated(true).attempts(1)
        .interruptedBy(UsageRecord.INTERRUPTED_BY_BACKEND).build();
    sink().write(List.of(ok, cut));

    assertThat(reader().totals(T0, T1)).containsExactly(
        new UsageTotals("alice", "team-a", "gpt-4o", "payg-1", "payg", "chat", 2, 1, 20, 37, 0, 0));
  }

  @Test
  void aRequestIdRepeatedWithinOneBatchIsWrittenOnce() throws Exception {
    sink().write(List.of(
        success("twice", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 100, 20, 0, 0),
        success("once", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 2, 0, 0),
        success("twice", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 100, 20, 0, 0)));

    assertThat(reader().totals(T0, T1)).containsExactly(
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "chat", 2, 0, 101, 22, 0, 0));
  }

  @Test
  void countsRowsFromTheStartOfThePeriodUpToButNotIncludingItsEnd() throws Exception {
    sink().write(List.of(
        success("before", T0.minusMillis(1), "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 0, 0, 0),
        success("at-start", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 10, 0, 0, 0),
        success("last", T1.minusMillis(1), "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 100, 0, 0, 0),
        success("at-end", T1, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1_000, 0, 0, 0)));

    assertThat(reader().totals(T0, T1)).containsExactly(
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "chat", 2, 0, 110, 0, 0, 0));
    assertThat(reader().totals(T1, T1.plusSeconds(1))).containsExactly(
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "chat", 1, 0, 1_000, 0, 0, 0));
    assertThat(reader().totals(T0.minusSeconds(60), T0)).containsExactly(
        new UsageTotals("alice", "team-a", "gpt-4o", "ptu-1", "ptu", "chat", 1, 0, 1, 0, 0, 0));
  }

  static UsageRecord media(String id, Instant time, String operation, BillingUnits units) {
    return UsageRecord.builder(id, time).consumer("alice").team("team-a").clientIp("10.0.0.1").route(operation)
        .model("media").backend("payg-1").tier("payg").region("eastus").status(200).latencyMillis(300).attempts(1)
        .units(java.util.Optional.of(units)).build();
  }

  @Test
  void sumsImagesAudioSecondsAndCharactersByOperation() throws Exception {
    sink().write(List.of(
        media("i1", T0, "images/generations", BillingUnits.images(2)),
        media("i2", T0.plusSeconds(1), "images/generations", BillingUnits.images(3)),
        media("a1", T0.plusSeconds(2), "audio/transcriptions", BillingUnits.audioSeconds(4.25, false)),
        media("a2", T0.plusSeconds(3), "audio/transcriptions", BillingUnits.audioSeconds(1.5, true)),
        media("s1", T0.plusSeconds(4), "audio/speech", BillingUnits.characters("thirty-seven characters of speech..")),
        success("c1", T0.plusSeconds(5), "alice", "team-a", "media", "payg-1", "payg", 10, 5, 0, 0)));

    assertThat(reader().totals(T0, T1)).containsExactlyInAnyOrder(
        new UsageTotals("alice", "team-a", "media", "payg-1", "payg", "images/generations", 2, 0, 0, 0, 0, 0, 5, 0, 0),
        new UsageTotals("alice", "team-a", "media", "payg-1", "payg", "audio/transcriptions", 2, 0, 0, 0, 0, 0, 0,
            5.75, 0),
        new UsageTotals("alice", "team-a", "media", "payg-1", "payg", "audio/speech", 1, 0, 0, 0, 0, 0, 0, 0, 35),
        new UsageTotals("alice", "team-a", "media", "payg-1", "payg", "chat", 1, 0, 10, 5, 0, 0));
  }

  @Test
  void anEmptyPeriodHasNoTotals() throws Exception {
    assertThat(reader().totals(T0, T1)).isEmpty();
    sink().write(List.of(success("r1", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0)));
    assertThat(reader().totals(T1, T1.plus(Duration.ofDays(1)))).isEmpty();
    assertThat(reader().totals(T1, T0)).isEmpty();
  }

  @Test
  void anEmptyBatchWritesNothing() throws Exception {
    sink().write(List.of());
    assertThat(reader().totals(T0.minusSeconds(3_600), T1)).isEmpty();
  }

  @Test
  void aLargeBatchIsCommittedWhole() throws Exception {
    List<UsageRecord> batch = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      batch.add(success("bulk-" + i, T0.plusMillis(i), "carol", "team-c", "gpt-4o", "ptu-2", "ptu", i, 1, 0, 0));
    }
    sink().write(batch);
    assertThat(reader().totals(T0, T1)).containsExactly(
        new UsageTotals("carol", "team-c", "gpt-4o", "ptu-2", "ptu", "chat", 1_000, 0, 999L * 1_000 / 2, 1_000, 0, 0));
  }

  private List<RecordedRequest> requests(Instant from, Instant to) throws Exception {
    List<RecordedRequest> out = new ArrayList<>();
    long count = reader().requests(from, to, out::add);
    assertThat(count).isEqualTo(out.size());
    return out;
  }

  @Test
  void streamsTheRowsOfThePeriodInTimeOrderWithTheirTokens() throws Exception {
    sink().write(List.of(
        stream("late", T0.plusSeconds(30), 70, 30, 45),
        success("first", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 100, 20, 5, 3),
        failure("refused", T0.plusSeconds(10), "bob", "team-b", "", 401),
        estimated("middle", T0.plusMillis(20_001), 11, 7),
        failure("throttled", T0.plusSeconds(40), "alice", "team-a", "gpt-4o", 429),
        success("before", T0.minusMillis(1), "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0),
        success("at-end", T1, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0)));

    assertThat(requests(T0, T1)).containsExactly(
        new RecordedRequest(T0, "gpt-4o", "ptu", 200, 100, 20, 5),
        new RecordedRequest(T0.plusSeconds(10), "", "", 401, 0, 0, 0),
        new RecordedRequest(T0.plusMillis(20_001), "gpt-4o-mini", "payg", 200, 11, 7, 0),
        new RecordedRequest(T0.plusSeconds(30), "gpt-4o", "payg", 200, 70, 30, 0),
        new RecordedRequest(T0.plusSeconds(40), "gpt-4o", "", 429, 0, 0, 0));
    assertThat(requests(T1, T1.plusSeconds(1))).extracting(RecordedRequest::time).containsExactly(T1);
    assertThat(requests(T1.plusSeconds(1), T1.plusSeconds(60))).isEmpty();
  }

  @Test
  void streamsMoreRowsThanOneFetchInOrder() throws Exception {
    List<UsageRecord> batch = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      // written newest first, so that the order comes from the query and not from the insertion
      batch.add(success("row-" + i, T0.plusMillis(2_500 - i), "carol", "team-c", "gpt-4o", "ptu-2", "ptu", i, 1, 0, 0));
    }
    sink().write(batch);

    List<RecordedRequest> rows = requests(T0, T1);
    assertThat(rows).hasSize(2_500);
    assertThat(rows).extracting(RecordedRequest::time).isSorted();
    assertThat(rows.stream().mapToLong(RecordedRequest::promptTokens).sum()).isEqualTo(2_499L * 2_500 / 2);
  }

  @Test
  void aFailingConsumerStopsTheReadingAndTheReaderStaysUsable() throws Exception {
    List<UsageRecord> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(success("r" + i, T0.plusSeconds(i), "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0));
    }
    sink().write(batch);
    IllegalStateException stop = new IllegalStateException("enough");
    List<RecordedRequest> seen = new ArrayList<>();

    Throwable thrown = Assertions.catchThrowable(() -> reader().requests(T0, T1, r -> {
      seen.add(r);
      if (seen.size() == 3) {
        throw stop;
      }
    }));

    assertThat(thrown).isSameAs(stop);
    assertThat(seen).hasSize(3);
    assertThat(requests(T0, T1)).hasSize(10);
    assertThat(reader().totals(T0, T1)).extracting(UsageTotals::requests).containsExactly(10L);
  }

  static UsageRecord hit(String id, Instant time, String status, long savedPrompt, long savedCompletion) {
    return UsageRecord.builder(id, time).consumer("alice").team("team-a").clientIp("10.0.0.1").route("chat")
        .model("gpt-4o").status(200).latencyMillis(3).cacheStatus(status)
        .cache(new UsageRecord.CacheFacts(savedPrompt, savedCompletion, OptionalLong.empty())).build();
  }

  @Test
  void sumsResponseCacheHitsAndTheTokensTheySavedAndKeepsTheFactsOfEveryRow() throws Exception {
    UsageRecord miss = success("miss", T0, "alice", "team-a", "gpt-4o", "payg-1", "payg", 100, 20, 0, 0);
    miss = miss.toBuilder().cacheStatus("miss")
        .cache(new UsageRecord.CacheFacts(0, 0, OptionalLong.of(Long.MIN_VALUE))).build();
    sink().write(List.of(miss,
        hit("exact-1", T0.plusSeconds(1), "exact", 100, 20),
        hit("exact-2", T0.plusSeconds(2), "exact", 100, 20),
        hit("semantic", T0.plusSeconds(3), "semantic", 40, 7)));

    assertThat(reader().totals(T0, T1)).containsExactlyInAnyOrder(
        new UsageTotals("alice", "team-a", "gpt-4o", "payg-1", "payg", "chat", 1, 0, 100, 20, 0, 0, 0, 0, 0,
            UsageTotals.CacheTotals.NONE),
        new UsageTotals("alice", "team-a", "gpt-4o", "", "", "chat", 3, 0, 0, 0, 0, 0, 0, 0, 0,
            new UsageTotals.CacheTotals(2, 1, 240, 47)));
  }

  static UsageRecord prompt(String id, Instant time, String consumer, String model, String tier, int status,
      long prompt, long cached, Long prefixHash) {
    return UsageRecord.builder(id, time).consumer(consumer).team("team-" + consumer).clientIp("10.0.0.1").route("chat")
        .model(model).backend(tier + "-1").tier(tier).region("eastus").status(status).tokens(prompt, 5, cached, 0)
        .latencyMillis(120).attempts(1)
        .cache(new UsageRecord.CacheFacts(0, 0,
            prefixHash == null ? OptionalLong.empty() : OptionalLong.of(prefixHash))).build();
  }

  @Test
  void countsPromptCacheSharesAndPrefixStabilityInTimeOrderPerConsumerAndModel() throws Exception {
    sink().write(List.of(
        // alice, gpt-4o, written out of order: A, A, B, (short), B, A; a refused request with a hash between them
        prompt("a5", T0.plusSeconds(50), "alice", "gpt-4o", "payg", 200, 1_500, 0, 7L),
        prompt("a1", T0.plusSeconds(10), "alice", "gpt-4o", "payg", 200, 1_500, 0, 7L),
        prompt("a2", T0.plusSeconds(20), "alice", "gpt-4o", "payg", 200, 1_500, 1_024, 7L),
        prompt("a3", T0.plusSeconds(30), "alice", "gpt-4o", "ptu", 200, 2_100, 0, -9L),
        prompt("a3-short", T0.plusSeconds(35), "alice", "gpt-4o", "payg", 200, 300, 0, null),
        prompt("a3-refused", T0.plusSeconds(38), "alice", "gpt-4o", "", 429, 0, 0, 7L),
        prompt("a4", T0.plusSeconds(40), "alice", "gpt-4o", "ptu", 200, 2_100, 2_048, -9L),
        // alice on another model: its own sequence
        prompt("m1", T0.plusSeconds(15), "alice", "gpt-4o-mini", "payg", 200, 1_100, 0, 7L),
        // bob: one hashed prompt only, and one that failed after the backend answered
        prompt("b1", T0.plusSeconds(12), "bob", "gpt-4o", "payg", 200, 1_200, 1_024, 3L),
        prompt("b2", T0.plusSeconds(13), "bob", "gpt-4o", "payg", 502, 1_200, 0, 3L),
        prompt("late", T1, "bob", "gpt-4o", "payg", 200, 1_200, 1_024, 3L)));

    assertThat(reader().promptCache(T0, T1)).containsExactlyInAnyOrder(
        new PromptCacheTotals("alice", "team-alice", "gpt-4o", 6, 9_000, 3_072, 1_024, 5, 5, 4, 2),
        new PromptCacheTotals("alice", "team-alice", "gpt-4o-mini", 1, 1_100, 0, 0, 1, 1, 0, 0),
        new PromptCacheTotals("bob", "team-bob", "gpt-4o", 1, 1_200, 1_024, 1_024, 1, 1, 0, 0));
    assertThat(reader().promptCache(T1, T1.plusSeconds(1))).containsExactly(
        new PromptCacheTotals("bob", "team-bob", "gpt-4o", 1, 1_200, 1_024, 1_024, 1, 1, 0, 0));
    assertThat(reader().promptCache(T1.plusSeconds(1), T1.plusSeconds(2))).isEmpty();
  }

  @Test
  void rowsAtTheSameTimeAreComparedInRequestIdOrder() throws Exception {
    sink().write(List.of(
        prompt("r3", T0, "carol", "gpt-4o", "payg", 200, 1_100, 0, 2L),
        prompt("r1", T0, "carol", "gpt-4o", "payg", 200, 1_100, 0, 1L),
        prompt("r2", T0, "carol", "gpt-4o", "payg", 200, 1_100, 0, 1L)));

    // r1 (1), r2 (1): stable; r3 (2): not
    assertThat(reader().promptCache(T0, T1)).extracting(PromptCacheTotals::prefixPairs, PromptCacheTotals::stablePairs)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 1L));
  }

  @Test
  void theSaltForPromptPrefixHashesIsMadeOnceAndReadAlikeEveryTime() throws Exception {
    byte[] first = salt();
    assertThat(first).hasSizeGreaterThanOrEqualTo(dev.spillway.core.ledger.PromptPrefixHash.MIN_SALT_BYTES);
    assertThat(salt()).isEqualTo(first);
    assertThat(first).isNotEqualTo(new byte[first.length]);
  }

  static UsageRecord ofUser(String id, String consumer, String endUser, long prompt, long completion) {
    return success(id, T0, consumer, "team-" + consumer, "gpt-4o", "payg-1", "payg", prompt, completion, 0, 0)
        .toBuilder().endUser(EndUser.of(endUser)).build();
  }

  static UsageTotals sums(String consumer, String endUser, long requests, long prompt, long completion) {
    return new UsageTotals(consumer, "team-" + consumer, "gpt-4o", "payg-1", "payg", "chat", requests, 0, prompt,
        completion, 0, 0, 0, 0, 0, UsageTotals.CacheTotals.NONE, endUser);
  }

  @Test
  void sumsEachEndUserApartOnlyWhenAskedTo() throws Exception {
    String longest = "名前-" + "x".repeat(EndUser.MAX_LENGTH - 3);
    sink().write(List.of(
        ofUser("a1", "alice", "u-1", 10, 1),
        ofUser("a2", "alice", "u-1", 20, 2),
        ofUser("a3", "alice", "u-2", 40, 4),
        ofUser("a4", "alice", "", 80, 8),
        ofUser("b1", "bob", "u-1", 160, 16),
        ofUser("b2", "bob", longest, 320, 32)));

    assertThat(reader().totalsByEndUser(T0, T1)).containsExactlyInAnyOrder(
        sums("alice", "u-1", 2, 30, 3),
        sums("alice", "u-2", 1, 40, 4),
        sums("alice", "", 1, 80, 8),
        sums("bob", "u-1", 1, 160, 16),
        sums("bob", longest, 1, 320, 32));
    assertThat(reader().totals(T0, T1)).containsExactlyInAnyOrder(
        sums("alice", "", 4, 150, 15),
        sums("bob", "", 2, 480, 48));
    assertThat(reader().totalsByEndUser(T1, T1.plusSeconds(1))).isEmpty();
  }

  @Test
  void keepsEveryRowsEndUserAndSafetyVerdict() throws Exception {
    sink().write(List.of(
        ofUser("plain", "alice", "", 1, 1),
        ofUser("named", "alice", "user-4711", 1, 1).toBuilder()
            .safety(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "prompt_injection", 6)).build(),
        ofUser("masked", "bob", "", 1, 1).toBuilder()
            .safety(new SafetyVerdict(SafetyVerdict.Level.MASKED, "pii.email")).build(),
        ofUser("severest", "bob", "", 1, 1).toBuilder()
            .safety(new SafetyVerdict(SafetyVerdict.Level.LOGGED, "hate", 7)).build()));

    assertThat(endUserAndSafety("plain")).containsExactly("", "none", "", "0");
    assertThat(endUserAndSafety("named")).containsExactly("user-4711", "blocked", "prompt_injection", "6");
    assertThat(endUserAndSafety("masked")).containsExactly("", "masked", "pii.email", "0");
    assertThat(endUserAndSafety("severest")).containsExactly("", "logged", "hate", "7");
  }

  @Test
  void aRowWrittenBeforeTheSeverityColumnReadsAsSeverityZeroBesideOnesWrittenWithIt() throws Exception {
    insertWithoutSeverity("before-v7", T0, "blocked", "hate");
    sink().write(List.of(success("after-v7", T0.plusSeconds(60), "alice", "team-alice", "gpt-4o", "payg-1", "payg", 1,
        0, 0, 0).toBuilder().status(400).safety(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "hate", 6)).build()));

    assertThat(endUserAndSafety("before-v7")).containsExactly("", "blocked", "hate", "0");
    assertThat(endUserAndSafety("after-v7")).containsExactly("", "blocked", "hate", "6");
    assertThat(reader().safety(T0, T1, TimeBucket.HOUR).buckets()).containsExactly(
        new SafetyTotals.Bucket(T0, 2, List.of(
            new SafetyTotals.CategoryCounts("hate", 0, 0, 2, List.of(
                new SafetyTotals.SeverityCounts(0, 0, 0, 1),
                new SafetyTotals.SeverityCounts(6, 0, 0, 1))))));
  }
}
