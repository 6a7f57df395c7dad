package dev.spillway.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.usage.BillingUnits;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageRecordJsonTest {
  @Test
  void roundTripsAllFields() {
    UsageRecord r = new UsageRecord("req-1", Instant.parse("2025-01-02T03:04:05.123456789Z"), "alice", "team-a",
        "10.0.0.1", "/chat", "gpt-4o", "ptu-east", "ptu", "eastus", 200, 11, 22, 3, 4, true, 150L, 42L,
        "none", 2, true);
    String json = UsageRecordJson.toJson(r);
    assertThat(json).doesNotContain("\n");
    assertThat(UsageRecordJson.fromJson(json)).isEqualTo(r);
  }

  @Test
  void roundTripsWhoInterruptedAStream() {
    UsageRecord r = new UsageRecord("req-3", Instant.parse("2025-01-02T03:04:05Z"), "alice", "team-a", "10.0.0.1",
        "/chat", "gpt-4o", "ptu-east", "ptu", "eastus", 499, 11, 5, 0, 0, true, 150L, 42L, "none", 1, false, "",
        UsageRecord.INTERRUPTED_BY_CLIENT);
    assertThat(UsageRecordJson.fromJson(UsageRecordJson.toJson(r))).isEqualTo(r);
    assertThat(UsageRecordJson.fromJson(UsageRecordJson.toJson(r)).interruptedBy()).isEqualTo("client");
  }

  @Test
  void roundTripsBillingUnits() {
    UsageRecord base = new UsageRecord("req-4", Instant.parse("2025-01-02T03:04:05Z"), "alice", "team-a", "10.0.0.1",
        "audio/transcriptions", "whisper", "payg-1", "payg", "eastus", 200, 0, 0, 0, 0, false, 900L, null, "none", 1,
        false);
    for (BillingUnits units : new BillingUnits[] {BillingUnits.images(2), BillingUnits.audioSeconds(3.25, true),
        BillingUnits.characters("hello")}) {
      UsageRecord r = base.withUnits(units);
      String json = UsageRecordJson.toJson(r);
      assertThat(json).contains("\"unit\":\"" + units.kind().wireName() + "\"");
      assertThat(UsageRecordJson.fromJson(json)).isEqualTo(r);
    }
    assertThat(UsageRecordJson.toJson(base)).doesNotContain("unit");
  }

  @Test
  void aLineWrittenBeforeUnitsOrWithAnUnknownUnitReadsAsNone() {
    String old = "{\"requestId\":\"old\",\"time\":\"2025-01-02T03:04:05Z\",\"status\":200,\"promptTokens\":5}";
    assertThat(UsageRecordJson.fromJson(old).units()).isEmpty();
    assertThat(UsageRecordJson.fromJson(old).promptTokens()).isEqualTo(5);
    String newer = old.replace("}", ",\"unit\":\"video_seconds\",\"units\":4.0,\"unitsEstimated\":false}");
    assertThat(UsageRecordJson.fromJson(newer).units()).isEmpty();
    String negative = old.replace("}", ",\"unit\":\"images\",\"units\":-1,\"unitsEstimated\":false}");
    assertThatThrownBy(() -> UsageRecordJson.fromJson(negative)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundTripsWhatACacheHitSavedAndThePromptPrefixHash() {
    UsageRecord hit = new UsageRecord("req-5", Instant.parse("2025-01-02T03:04:05Z"), "alice", "team-a", "10.0.0.1",
        "chat/completions", "gpt-4o", "", "", "", 200, 0, 0, 0, 0, false, 2L, null, "exact", 0, false)
        .withCache(new UsageRecord.CacheFacts(1_200, 80, java.util.OptionalLong.empty()));
    UsageRecord longPrompt = new UsageRecord("req-6", Instant.parse("2025-01-02T03:04:05Z"), "alice", "team-a",
        "10.0.0.1", "chat/completions", "gpt-4o", "payg-1", "payg", "eastus", 200, 1_500, 9, 1_024, 0, false, 90L,
        null, "miss", 1, false).withCache(new UsageRecord.CacheFacts(0, 0, java.util.OptionalLong.of(Long.MIN_VALUE)));
    for (UsageRecord r : new UsageRecord[] {hit, longPrompt}) {
      assertThat(UsageRecordJson.fromJson(UsageRecordJson.toJson(r))).isEqualTo(r);
    }
    assertThat(UsageRecordJson.toJson(hit)).contains("\"savedPromptTokens\":1200").doesNotContain("promptPrefixHash");
    assertThat(UsageRecordJson.toJson(longPrompt)).contains("\"promptPrefixHash\":" + Long.MIN_VALUE)
        .doesNotContain("saved");
  }

  @Test
  void aLineWrittenBeforeCacheFactsReadsAsNoneAndNegativeSavingsAreRefused() {
    String old = "{\"requestId\":\"old\",\"time\":\"2025-01-02T03:04:05Z\",\"status\":200,\"cacheStatus\":\"exact\"}";
    assertThat(UsageRecordJson.fromJson(old).cache()).isEqualTo(UsageRecord.CacheFacts.NONE);
    assertThat(UsageRecordJson.fromJson(old).cacheStatus()).isEqualTo("exact");
    String negative = old.replace("}", ",\"savedPromptTokens\":-5,\"savedCompletionTokens\":0}");
    assertThatThrownBy(() -> UsageRecordJson.fromJson(negative)).isInstanceOf(IllegalArgumentException.class);
    String textHash = old.replace("}", ",\"promptPrefixHash\":\"abc\"}");
    assertThat(UsageRecordJson.fromJson(textHash).cache().promptPrefixHash()).isEmpty();
  }

  @Test
  void nullsSurviveAndCacheStatusDefaults() {
    UsageRecord r = new UsageRecord("req-2", Instant.EPOCH, null, null, null, null, null, null, null, null, 502,
        0, 0, 0, 0, false, 5, null, null, 1, false);
    assertThat(r.cacheStatus()).isEqualTo("none");
    assertThat(r.ttft()).isEmpty();
    assertThat(UsageRecordJson.fromJson(UsageRecordJson.toJson(r))).isEqualTo(r);
  }

  @Test
  void rejectsTornLine() {
    assertThatThrownBy(() -> UsageRecordJson.fromJson("{\"requestId\":\"x\",\"ti"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UsageRecord(" ", Instant.EPOCH, null, null, null, null, null, null, null, null,
        0, 0, 0, 0, 0, false, 0, null, null, 1, false)).isInstanceOf(IllegalArgumentException.class);
  }
}
