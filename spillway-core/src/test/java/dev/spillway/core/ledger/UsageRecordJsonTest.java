package dev.spillway.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
