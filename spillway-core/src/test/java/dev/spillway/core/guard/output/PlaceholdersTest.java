package dev.spillway.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  private static GuardFinding mask(String category, int start, int end) {
    return new GuardFinding(GuardAction.MASK, category, 4, "r", start, end);
  }

  @Test
  void aPlaceholderIsTheCategorysTailInCapitalsAndABlocklistsIsBlocked() {
    assertThat(Placeholders.of("pii.credit_card")).isEqualTo("[CREDIT_CARD]");
    assertThat(Placeholders.of("pii.email")).isEqualTo("[EMAIL]");
    assertThat(Placeholders.of("regex")).isEqualTo("[REGEX]");
    assertThat(Placeholders.of("blocklist")).isEqualTo("[BLOCKED]");
    assertThat(Placeholders.of("pii.")).isEqualTo("[REDACTED]");
  }

  @Test
  void masksEachSpanAndOnlyMaskFindingsWithASpan() {
    String text = "card 4111111111111111 mail jane@example.com ok";
    List<GuardFinding> findings = List.of(
        mask("pii.credit_card", 5, 21),
        new GuardFinding(GuardAction.LOG, "pii.email", 3, "e", 27, 43),
        new GuardFinding(GuardAction.BLOCK, "blocklist", 3, "b", 44, 46),
        GuardFinding.whole(GuardAction.MASK, "size", 1, "s"));
    assertThat(Placeholders.mask(text, findings)).isEqualTo("card [CREDIT_CARD] mail jane@example.com ok");
  }

  @Test
  void overlappingSpansMergeUnderTheLongestAndTouchingOnesStayApart() {
    assertThat(Placeholders.mask("id ABCDEFGHIJ end", List.of(mask("pii.iban", 6, 13), mask("regex", 3, 9))))
        .isEqualTo("id [IBAN] end");
    assertThat(Placeholders.mask("abcdef", List.of(mask("x", 0, 3), mask("y", 3, 6)))).isEqualTo("[X][Y]");
  }

  @Test
  void aSpanPastTheEndIsCutAtTheEnd() {
    assertThat(Placeholders.mask("abc secret", List.of(mask("pii.email", 4, 40)))).isEqualTo("abc [EMAIL]");
    assertThat(Placeholders.mask("abc", List.of(mask("pii.email", 5, 9)))).isEqualTo("abc");
  }
}
