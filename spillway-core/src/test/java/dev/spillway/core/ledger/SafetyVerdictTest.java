package dev.spillway.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.guard.GuardAction;
import org.junit.jupiter.api.Test;

class SafetyVerdictTest {
  @Test
  void aGuardActionBecomesTheVerdictItsRowKeeps() {
    assertThat(SafetyVerdict.of(GuardAction.ALLOW, "allowlist")).isEqualTo(SafetyVerdict.NONE);
    assertThat(SafetyVerdict.of(GuardAction.LOG, "prompt_injection"))
        .isEqualTo(new SafetyVerdict(SafetyVerdict.Level.LOGGED, "prompt_injection"));
    assertThat(SafetyVerdict.of(GuardAction.MASK, "pii.credit_card").level()).isEqualTo(SafetyVerdict.Level.MASKED);
    assertThat(SafetyVerdict.of(GuardAction.BLOCK, "Self_Harm"))
        .isEqualTo(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "self_harm"));
  }

  @Test
  void levelsHaveTheLedgersWireNames() {
    assertThat(SafetyVerdict.Level.values()).extracting(SafetyVerdict.Level::wireName)
        .containsExactly("none", "logged", "masked", "blocked");
    assertThat(SafetyVerdict.Level.fromWireName("masked")).contains(SafetyVerdict.Level.MASKED);
    assertThat(SafetyVerdict.Level.fromWireName("MASKED")).isEmpty();
  }

  @Test
  void theStrongerVerdictWinsAndOfEqualOnesTheFirst() {
    SafetyVerdict logged = new SafetyVerdict(SafetyVerdict.Level.LOGGED, "regex");
    SafetyVerdict blocked = new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "hate");
    SafetyVerdict otherLog = new SafetyVerdict(SafetyVerdict.Level.LOGGED, "blocklist");
    assertThat(logged.stronger(blocked)).isEqualTo(blocked);
    assertThat(blocked.stronger(logged)).isEqualTo(blocked);
    assertThat(logged.stronger(otherLog)).isEqualTo(logged);
    assertThat(SafetyVerdict.NONE.stronger(logged)).isEqualTo(logged);
    assertThat(logged.stronger(SafetyVerdict.NONE)).isEqualTo(logged);
  }

  @Test
  void aCategoryIsAShortLowerCaseNameAndNoneHasNone() {
    assertThat(new SafetyVerdict(SafetyVerdict.Level.LOGGED, null).category()).isEmpty();
    assertThatThrownBy(() -> new SafetyVerdict(SafetyVerdict.Level.NONE, "hate"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "hate speech"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "x".repeat(64)).category()).hasSize(64);
    assertThatThrownBy(() -> new SafetyVerdict(null, "")).isInstanceOf(NullPointerException.class);
  }
}
