package dev.spillway.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.ledger.EndUser;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.ledger.LedgerListener;
import dev.spillway.gateway.ledger.LedgerWriter;
import dev.spillway.gateway.ledger.LedgerWriterOptions;
import dev.spillway.gateway.ledger.SqliteLedgerSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a guard stage records on the request's result ({@code ctx.result().safety(...)}) reaches the request's outcome
 * and its ledger row (an SQLite ledger through the real writer), the strongest of several verdicts winning; and so does
 * the end user.
 */
class SafetyVerdictLedgerTest {
  @TempDir
  Path dir;

  @Test
  void theStrongestVerdictRecordedOnTheResultIsTheOneTheRowKeeps() {
    RequestResult result = new RequestContext("r", 0, null, null, RequestBody.NONE).result();
    assertThat(result.safety()).isEqualTo(SafetyVerdict.NONE);

    result.safety(SafetyVerdict.of(GuardAction.LOG, "regex", 0));
    result.safety(SafetyVerdict.of(GuardAction.BLOCK, "prompt_injection", 0));
    result.safety(SafetyVerdict.of(GuardAction.MASK, "pii.email", 0));
    result.safety(SafetyVerdict.of(GuardAction.BLOCK, "hate", 0));

    assertThat(result.safety()).isEqualTo(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "prompt_injection"));
  }

  @Test
  void ofTwoBlocksTheMoreSevereFindingIsTheOneTheRowKeeps() {
    RequestResult result = new RequestContext("r", 0, null, null, RequestBody.NONE).result();
    result.safety(SafetyVerdict.of(GuardAction.BLOCK, "blocklist", 2));
    result.safety(SafetyVerdict.of(GuardAction.LOG, "hate", 7));
    result.safety(SafetyVerdict.of(GuardAction.BLOCK, "violence", 6));
    result.safety(SafetyVerdict.of(GuardAction.BLOCK, "prompt_injection", 4));

    assertThat(result.safety()).isEqualTo(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "violence", 6));
  }

  @Test
  void theVerdictAndTheEndUserGoFromTheResultThroughTheOutcomeIntoTheLedger() throws Exception {
    Path db = dir.resolve("usage.db");
    RequestContext blocked = new RequestContext("req-blocked", 0, null, null, RequestBody.NONE);
    blocked.result().status(400).endUser(EndUser.of("user-1"))
        .safety(SafetyVerdict.of(GuardAction.MASK, "pii.email", 0))
        .safety(SafetyVerdict.of(GuardAction.BLOCK, "prompt_injection", 6));
    RequestContext plain = new RequestContext("req-plain", 0, null, null, RequestBody.NONE);
    plain.result().status(200);

    RequestOutcome outcome = Pipeline.outcomeOf(blocked, 5_000_000);
    assertThat(outcome.safety()).isEqualTo(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "prompt_injection", 6));
    assertThat(outcome.endUser()).isEqualTo(EndUser.of("user-1"));
    assertThat(outcome.toString()).doesNotContain("user-1");

    SqliteLedgerSink sink = SqliteLedgerSink.open(db);
    try (LedgerWriter writer = new LedgerWriter(sink, LedgerWriterOptions.builder().spillDir(dir.resolve("spill"))
        .maxDelay(Duration.ofMillis(5)).build())) {
      LedgerListener listener = new LedgerListener(writer, Map.of(),
          Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
      listener.onRequest(outcome);
      listener.onRequest(Pipeline.outcomeOf(plain, 5_000_000));
    } finally {
      sink.close();
    }

    assertThat(row(db, "req-blocked")).containsExactly("user-1", "blocked", "prompt_injection", "400", "6");
    assertThat(row(db, "req-plain")).containsExactly("", "none", "", "200", "0");
  }

  private static List<String> row(Path db, String requestId) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement ps = c.prepareStatement(
            "SELECT end_user, safety_verdict, safety_category, status, safety_severity FROM usage"
                + " WHERE request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as(requestId).isTrue();
        return List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
      }
    }
  }
}
