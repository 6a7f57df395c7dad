package dev.spillway.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.guard.GuardAction;
import org.junit.jupiter.api.Test;

class SafetyVerdictTest {
  @Test
  void aGuardActionBecomesTheVerdictItsRowKeeps() {
    assertThat(SafetyVerdict.of(GuardAction.ALLOW, "allowlist", 3)).isEqualTo(SafetyVerdict.NONE);
    assertThat(SafetyVerdict.of(GuardAction.LOG, "prompt_injection", 0))
        .isEqualTo(new SafetyVerdict(SafetyVerdict.Level.LOGGED, "prompt_injection"));
    assertThat(SafetyVerdict.of(GuardAction.MASK, "pii.credit_card", 2).level()).isEqualTo(SafetyVerdict.Level.MASKED);
    assertThat(SafetyVerdict.of(GuardAction.BLOCK, "Self_Harm", 6))
        .isEqualTo(new SafetyVerdict(SafetyVerdict.Level.BLOCKED, "self_harm", 6));
  }

  @Test
  void aSeverityIsZeroToSevenAndNoneAndAVerdictWithoutOneHaveZero() {
    assertThat(SafetyVerdict.NONE.severity()).isZero();
    assertThat(new SafetyVerdict(SafetyVerdict.Level.MASKED, "pii.email").severity()).isZero();
    assertThat(SafetyVerdict.of(GuardAction.BLOCK, "hate", 7).severity()).isEqualTo(7);
    assertThatThrownBy(() -> SafetyVerdict.of(GuardAction.BLOCK, "hate", 8))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 7");
    assertThatThrownBy(() -> SafetyVerdict.of(GuardAction.LOG, "hate", -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SafetyVerdict(SafetyVerdict.Level.NONE, "", 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ofTwoVerdictsOfOneLevelTheMoreSevereWinsAndALevelOutranksAnySeverity() {
    SafetyVerdict mildBlock = SafetyVerdict.of(GuardAction.BLOCK, "blocklist", 2);
    SafetyVerdict severeBlock = SafetyVerdict.of(GuardAction.BLOCK, "violence", 6);
    SafetyVerdict severeLog = SafetyVerdict.of(GuardAction.LOG, "hate", 7);
    assertThat(mildBlock.stronger(severeBlock)).isEqualTo(severeBlock);
    assertThat(severeBlock.stronger(mildBlock)).isEqualTo(severeBlock);
    assertThat(mildBlock.stronger(severeLog)).isEqualTo(mildBlock);
    assertThat(severeLog.stronger(mildBlock)).isEqualTo(mildBlock);
    SafetyVerdict otherSevereBlock = SafetyVerdict.of(GuardAction.BLOCK, "prompt_injection", 6);
    assertThat(severeBlock.stronger(otherSevereBlock)).isEqualTo(severeBlock);
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
