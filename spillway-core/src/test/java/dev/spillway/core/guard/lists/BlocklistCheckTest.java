package dev.spillway.core.guard.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlocklistCheckTest {

  @Test
  void eachOccurrenceIsAFindingWithItsSpanAndTheListsRule() {
    BlocklistCheck check = BlocklistCheck.builder().name("profanity").terms(List.of("darn", "heck")).build();
    assertThat(check.id()).isEqualTo("blocklist:profanity");
    assertThat(check.inspect("Darn it, what the HECK, darn."))
        .containsExactly(
            new GuardFinding(GuardAction.BLOCK, "blocklist", 4, "profanity", 0, 4),
            new GuardFinding(GuardAction.BLOCK, "blocklist", 4, "profanity", 18, 22),
            new GuardFinding(GuardAction.BLOCK, "blocklist", 4, "profanity", 24, 28));
    assertThat(check.inspect("darned heckler")).isEmpty();
  }

  @Test
  void actionAndSeverityAreTheLists() {
    BlocklistCheck check =
        BlocklistCheck.builder().name("watch").term("project falcon").action(GuardAction.LOG).severity(2).build();
    assertThat(check.inspect("status of Project  Falcon?"))
        .containsExactly(new GuardFinding(GuardAction.LOG, "blocklist", 2, "watch", 10, 25));
  }

  @Test
  void overlappingTermsAreEachAFindingOrderedByStart() {
    BlocklistCheck check = BlocklistCheck.builder().name("places").terms(List.of("york", "new york")).build();
    assertThat(check.inspect("New York"))
        .extracting(GuardFinding::start, GuardFinding::end)
        .containsExactly(tuple(0, 8), tuple(4, 8));
  }

  @Test
  void termsThatFoldToTheSameAreKeptOnce() {
    BlocklistCheck check =
        BlocklistCheck.builder().name("spam").terms(List.of("Buy Now", "buy  now", "BUY NOW ", "free")).build();
    assertThat(check.size()).isEqualTo(2);
    assertThat(check.inspect("buy now")).hasSize(1);
  }

  @Test
  void aBadListFailsTheBuildNamingTheListAndThePosition() {
    assertThatThrownBy(() -> BlocklistCheck.builder().term("x").build()).hasMessage("a blocklist needs a name");
    assertThatThrownBy(() -> BlocklistCheck.builder().name(" ").term("x").build())
        .hasMessage("a blocklist needs a name");
    assertThatThrownBy(() -> BlocklistCheck.builder().name("l").build()).hasMessage("blocklist 'l' has no terms");
    assertThatThrownBy(() -> BlocklistCheck.builder().name("l").terms(List.of("secret-word", "", "z")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("blocklist 'l': term 2 is empty");
    assertThatThrownBy(() -> BlocklistCheck.builder().name("l").terms(List.of("a", "\n\t")).build())
        .hasMessage("blocklist 'l': term 2 is empty");
    assertThatThrownBy(() -> BlocklistCheck.builder().name("l").term("bad\uDC00").build())
        .hasMessageStartingWith("blocklist 'l': term 1 cannot be matched");
    assertThatThrownBy(() -> BlocklistCheck.builder().name("l").term("x").severity(8).build())
        .hasMessage("blocklist 'l': severity is 0 to 7, not 8");
  }

  @Test
  void toStringNamesTheListNotItsTerms() {
    BlocklistCheck check = BlocklistCheck.builder().name("codenames").terms(List.of("bluebird", "nightjar")).build();
    assertThat(check.toString()).contains("codenames", "2 terms").doesNotContain("bluebird", "nightjar");
  }
}
