package dev.spillway.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.guard.pii.PiiCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingTest {
  private static GuardFinding mask(String category, int start, int end) {
    return new GuardFinding(GuardAction.MASK, category, 5, "rule", start, end);
  }

  @Test
  void replacesEachMaskedSpanByItsCategorysPlaceholder() {
    String text = "card 4111111111111111 mail jane@example.com";
    List<GuardFinding> findings = List.of(mask("pii.credit_card", 5, 21), mask("pii.email", 27, 43));
    assertThat(Masking.apply(text, findings)).isEqualTo("card [CREDIT_CARD] mail [EMAIL]");
  }

  @Test
  void ignoresFindingsOfOtherActionsAndWithoutASpan() {
    String text = "call 212-736-4100 now";
    List<GuardFinding> findings = List.of(
        new GuardFinding(GuardAction.LOG, "pii.phone", 3, "phone", 5, 17),
        new GuardFinding(GuardAction.BLOCK, "blocklist", 7, "words", 0, 4),
        GuardFinding.whole(GuardAction.MASK, "size", 1, "limit"));
    assertThat(Masking.apply(text, findings)).isEqualTo(text);
    assertThat(Masking.apply(text, List.of())).isEqualTo(text);
  }

  @Test
  void mergesOverlappingSpansUnderTheLongestFindingsPlaceholder() {
    String text = "id ABCDEFGHIJ end";
    // A pattern over "ABCDEF" and a recognizer over "DEFGHIJ": one placeholder, the longer finding's.
    assertThat(Masking.apply(text, List.of(mask("regex", 3, 9), mask("pii.iban", 6, 13))))
        .isEqualTo("id [IBAN] end");
    // A span inside another: the outer one.
    assertThat(Masking.apply(text, List.of(mask("pii.phone", 5, 8), mask("regex.account", 3, 13))))
        .isEqualTo("id [ACCOUNT] end");
    // Findings in any order; equal lengths: the first by start.
    assertThat(Masking.apply(text, List.of(mask("b", 6, 10), mask("a", 3, 7)))).isEqualTo("id [A]HIJ end");
  }

  @Test
  void touchingSpansKeepTheirOwnPlaceholders() {
    assertThat(Masking.apply("abcdef", List.of(mask("x", 0, 3), mask("y", 3, 6)))).isEqualTo("[X][Y]");
  }

  @Test
  void aSpanOutsideTheTextIsRefusedWithOffsetsOnly() {
    assertThatThrownBy(() -> Masking.apply("secret", List.of(mask("pii.email", 2, 40))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 40)")
        .hasMessageNotContaining("secret");
  }

  @Test
  void placeholderIsTheLastPartOfTheCategory() {
    assertThat(Masking.placeholder("pii.us_ssn")).isEqualTo("[US_SSN]");
    assertThat(Masking.placeholder("regex")).isEqualTo("[REGEX]");
    assertThat(Masking.placeholder("pii.")).isEqualTo("[REDACTED]");
  }

  @Test
  void masksWhatThePiiCheckFinds() {
    PiiCheck check = PiiCheck.builder().allEntities(GuardAction.MASK).build();
    String text = "Pay DE89 3704 0044 0532 0130 00 or card 4111-1111-1111-1111; ask jane@example.com, +44 20 7946 0958,"
        + " SSN 536-22-8841, from 2001:db8::1.";
    assertThat(Masking.apply(text, check.inspect(text))).isEqualTo("Pay [IBAN] or card [CREDIT_CARD]; ask [EMAIL],"
        + " [PHONE], SSN [US_SSN], from [IP_ADDRESS].");
  }
}
