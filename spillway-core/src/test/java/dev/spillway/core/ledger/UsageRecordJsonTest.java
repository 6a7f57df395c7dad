package dev.spillway.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.usage.BillingUnits;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageRecordJsonTest {
  /** A successful chat request of alice's on a PTU backend, as most of these tests start from. */
  private static UsageRecord.Builder chat(String id) {
    return UsageRecord.builder(id, Instant.parse("2025-01-02T03:04:05Z")).consumer("alice").team("team-a")
        .clientIp("10.0.0.1").route("/chat").model("gpt-4o").backend("ptu-east").tier("ptu").region("eastus")
        .status(200).latencyMillis(150).attempts(1);
  }

  @Test
  void roundTripsAllFields() {
    UsageRecord r = UsageRecord.builder("req-1", Instant.parse("2025-01-02T03:04:05.123456789Z")).consumer("alice")
        .team("team-a").clientIp("10.0.0.1").route("/chat").model("gpt-4o").backend("ptu-east").tier("ptu")
        .region("eastus").status(200).tokens(11, 22, 3, 4).usageEstimated(true).latencyMillis(150).ttftMillis(42L)
        .cacheStatus("none").attempts(2).spilled(true).build();
    String json = UsageRecordJson.toJson(r);
    assertThat(json).doesNotContain("\n");
    assertThat(UsageRecordJson.fromJson(json)).isEqualTo(r);
  }

  @Test
  void roundTripsWhoInterruptedAStream() {
    UsageRecord r = chat("req-3").status(499).tokens(11, 5, 0, 0).usageEstimated(true).ttftMillis(42L)
        .interruptedBy(UsageRecord.INTERRUPTED_BY_CLIENT).build();
    assertThat(UsageRecordJson.fromJson(UsageRecordJson.toJson(r))).isEqualTo(r);
    assertThat(UsageRecordJson.fromJson(UsageRecordJson.toJson(r)).interruptedBy()).isEqualTo("client");
  }

  @Test
  void roundTripsBillingUnits() {
    UsageRecord base = chat("req-4").route("audio/transcriptions").model("whisper").backend("payg-1").tier("payg")
        .latencyMillis(900).build();
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
    UsageRecord hit = chat("req-5").route("chat/completions").backend("").tier("").region("").latencyMillis(2)
        .cacheStatus("exact").attempts(0)
        .cache(new UsageRecord.CacheFacts(1_200, 80, java.util.OptionalLong.empty())).build();
    UsageRecord longPrompt = chat("req-6").route("chat/completions").backend("payg-1").tier("payg")
        .tokens(1_500, 9, 1_024, 0).latencyMillis(90).cacheStatus("miss")
        .cache(new UsageRecord.CacheFacts(0, 0, java.util.OptionalLong.of(Long.MIN_VALUE))).build();
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
    UsageRecord r = UsageRecord.builder("req-2", Instant.EPOCH).consumer(null).team(null).clientIp(null).route(null)
        .model(null).backend(null).tier(null).region(null).status(502).latencyMillis(5).cacheStatus(null).attempts(1)
        .build();
    assertThat(r.cacheStatus()).isEqualTo("none");
    assertThat(r.ttft()).isEmpty();
    assertThat(UsageRecordJson.fromJson(UsageRecordJson.toJson(r))).isEqualTo(r);
  }

  @Test
  void rejectsTornLine() {
    assertThatThrownBy(() -> UsageRecordJson.fromJson("{\"requestId\":\"x\",\"ti"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UsageRecord.builder(" ", Instant.EPOCH).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UsageRecord.builder("x", null).build()).isInstanceOf(NullPointerException.class);
  }

  @Test
  void roundTripsTheEndUserAndTheSafetyVerdict() {
    UsageRecord r = chat("req-7").endUser(EndUser.of("user-4711@example.com"))
        .safety(new SafetyVerdict(SafetyVerdict.Level.MASKED, "pii.email")).build();
    String json = UsageRecordJson.toJson(r);

    assertThat(json).contains("\"endUser\":\"user-4711@example.com\"", "\"safetyVerdict\":\"masked\"",
        "\"safetyCategory\":\"pii.email\"");
    assertThat(UsageRecordJson.fromJson(json)).isEqualTo(r);
    UsageRecord plain = chat("req-8").build();
    assertThat(UsageRecordJson.toJson(plain)).doesNotContain("endUser", "safety");
    assertThat(UsageRecordJson.fromJson(UsageRecordJson.toJson(plain))).isEqualTo(plain);
  }

  @Test
  void aLineWrittenBeforeEndUsersReadsAsNoneAndAnUnknownVerdictAsNone() {
    String old = "{\"requestId\":\"old\",\"time\":\"2025-01-02T03:04:05Z\",\"status\":200,\"promptTokens\":5}";
    assertThat(UsageRecordJson.fromJson(old).endUser()).isEqualTo(EndUser.NONE);
    assertThat(UsageRecordJson.fromJson(old).safety()).isEqualTo(SafetyVerdict.NONE);

    String future = old.replace("}", ",\"safetyVerdict\":\"quarantined\",\"safetyCategory\":\"hate\"}");
    assertThat(UsageRecordJson.fromJson(future).safety()).isEqualTo(SafetyVerdict.NONE);
    String oddCategory = old.replace("}", ",\"safetyVerdict\":\"blocked\",\"safetyCategory\":\"no spaces!\"}");
    assertThat(UsageRecordJson.fromJson(oddCategory).safety())
        .isEqualTo(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, ""));
    String longUser = old.replace("}", ",\"endUser\":\"" + "u".repeat(300) + "\"}");
    assertThat(UsageRecordJson.fromJson(longUser).endUser().id()).hasSize(EndUser.MAX_LENGTH);
  }

  @Test
  void roundTripsTheSeverityAndALineWithoutOneOrWithAnOddOneReadsAsZero() {
    UsageRecord r = chat("req-11").safety(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "violence", 6)).build();
    String json = UsageRecordJson.toJson(r);

    assertThat(json).contains("\"safetyVerdict\":\"blocked\"", "\"safetySeverity\":6");
    assertThat(UsageRecordJson.fromJson(json)).isEqualTo(r);
    assertThat(UsageRecordJson.fromJson(json).safety().severity()).isEqualTo(6);
    String before = json.replace(",\"safetySeverity\":6", "");
    assertThat(before).doesNotContain("safetySeverity");
    assertThat(UsageRecordJson.fromJson(before).safety())
        .isEqualTo(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "violence", 0));
    for (String odd : List.of("9", "-1", "\"high\"", "6.5", "null")) {
      assertThat(UsageRecordJson.fromJson(json.replace("\"safetySeverity\":6", "\"safetySeverity\":" + odd)).safety())
          .as(odd).isEqualTo(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "violence", 0));
    }
  }

  @Test
  void theRecordsTextShowsNoEndUser() {
    UsageRecord r = chat("req-9").endUser(EndUser.of("jane.doe@example.com")).build();
    assertThat(r.toString()).doesNotContain("jane.doe").contains("EndUser[hidden]");
  }

  @Test
  void aCopyDiffersOnlyInWhatWasChanged() {
    UsageRecord r = chat("req-10").tokens(1, 2, 3, 4).spilled(true).endUser(EndUser.of("u1"))
        .safety(new SafetyVerdict(SafetyVerdict.Level.LOGGED, "regex")).build();
    assertThat(r.toBuilder().build()).isEqualTo(r);
    UsageRecord other = r.toBuilder().endUser(EndUser.of("u2")).build();
    assertThat(other).isNotEqualTo(r);
    assertThat(other.toBuilder().endUser(EndUser.of("u1")).build()).isEqualTo(r);
    assertThat(r.spilledBy()).isEqualTo(UsageRecord.SPILLED_BY_GATEWAY);
  }
}
