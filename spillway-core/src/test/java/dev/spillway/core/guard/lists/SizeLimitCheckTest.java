package dev.spillway.core.guard.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import org.junit.jupiter.api.Test;

class SizeLimitCheckTest {

  @Test
  void aTextOverTheCharacterLimitIsOneWholeTextFinding() {
    SizeLimitCheck check = SizeLimitCheck.builder().maxChars(5).build();
    assertThat(check.id()).isEqualTo("size");
    assertThat(check.inspect("12345")).isEmpty();
    assertThat(check.inspect("123456")).containsExactly(GuardFinding.whole(GuardAction.BLOCK, "size", 4, "max_chars"));
  }

  @Test
  void charactersAreUtf16Chars() {
    SizeLimitCheck check = SizeLimitCheck.builder().maxChars(4).build();
    assertThat(check.inspect("\uD83D\uDE00\uD83D\uDE00")).isEmpty(); // two emoji, four chars
    assertThat(check.inspect("\uD83D\uDE00\uD83D\uDE00!")).hasSize(1);
  }

  @Test
  void linesEndAtAnyLineBreakAndAFinalBreakAddsNoLine() {
    SizeLimitCheck check = SizeLimitCheck.builder().maxLines(2).action(GuardAction.LOG).severity(1).build();
    assertThat(check.inspect("a\nb")).isEmpty();
    assertThat(check.inspect("a\r\nb\r\n")).isEmpty();
    assertThat(check.inspect("a\rb\n")).isEmpty();
    assertThat(check.inspect("\n\n")).isEmpty();
    assertThat(check.inspect("a\nb\nc")).containsExactly(GuardFinding.whole(GuardAction.LOG, "size", 1, "max_lines"));
    assertThat(check.inspect("a\r\rb")).hasSize(1);
    assertThat(check.inspect("\n\n\n")).hasSize(1);
    assertThat(check.inspect("a\n\nb")).hasSize(1);
  }

  @Test
  void bothLimitsPassedAreTwoFindings() {
    SizeLimitCheck check = SizeLimitCheck.builder().maxChars(3).maxLines(1).build();
    assertThat(check.inspect("a\nbc"))
        .extracting(GuardFinding::ruleId)
        .containsExactly("max_chars", "max_lines");
  }

  @Test
  void aLimitMustBeSetAndSensible() {
    assertThatThrownBy(() -> SizeLimitCheck.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a size limit needs max chars, max lines or both");
    assertThatThrownBy(() -> SizeLimitCheck.builder().maxChars(0).build())
        .hasMessage("size limit: max chars is at least 1, not 0");
    assertThatThrownBy(() -> SizeLimitCheck.builder().maxLines(-3).build())
        .hasMessage("size limit: max lines is at least 1, not -3");
    assertThatThrownBy(() -> SizeLimitCheck.builder().maxLines(3).severity(9).build())
        .hasMessage("size limit: severity is 0 to 7, not 9");
  }
}
