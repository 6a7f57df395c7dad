package dev.spillway.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each entity in a prompt-sized text (about 8,700 characters of prose with four-digit years in it) is found once, at
 * its exact offsets, wherever it stands: at the very start, at the very end, and with other digits, other addresses
 * or another entity at every distance up to a few dozen characters, across the edges of the stretches the recognizers
 * look at closely (an e-mail address's local part, a phone number's window). Neighbours are set off by at least one
 * word: digits joined to a phone number by spaces alone are read with it by libphonenumber, as they always were.
 */
class PiiLongTextTest {
  private static final Map<PiiEntity, String> VALUES = Map.of(
      PiiEntity.EMAIL, "jane.doe@example.com",
      PiiEntity.IBAN, "DE89 3704 0044 0532 0130 00",
      PiiEntity.CREDIT_CARD, "4111 1111 1111 1111",
      PiiEntity.US_SSN, "536-22-8841",
      PiiEntity.IP_ADDRESS, "192.0.2.146",
      PiiEntity.PHONE, "(212) 736-4100");
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
  private static final String PROSE = prose(8_700);

  private final PiiCheck check = PiiCheck.builder().allEntities(GuardAction.MASK).build();

  @Test
  void anEntityAtTheVeryStartOrTheVeryEndOfALongText() {
    for (Map.Entry<PiiEntity, String> e : VALUES.entrySet()) {
      String value = e.getValue();
      assertFoundOnce(e.getKey(), value + " " + PROSE, 0);
      assertFoundOnce(e.getKey(), PROSE + " " + value, PROSE.length() + 1);
      assertFoundOnce(e.getKey(), value, 0);
    }
  }

  @Test
  void anEntityWithDigitsAtEveryDistanceBeforeAndAfterIt() {
    for (Map.Entry<PiiEntity, String> e : VALUES.entrySet()) {
      for (int d = 1; d <= 40; d++) {
        String gap = " " + LETTERS.substring(0, d) + " ";
        String before = PROSE.substring(0, 4_000) + " 2024" + gap;
        assertFoundOnce(e.getKey(), before + e.getValue() + gap + "1999 " + PROSE.substring(4_000),
            before.length());
      }
    }
  }

  @Test
  void anEntityNextToAnotherOneAtEveryDistance() {
    for (Map.Entry<PiiEntity, String> e : VALUES.entrySet()) {
      for (Map.Entry<PiiEntity, String> other : VALUES.entrySet()) {
        for (int d = 1; d <= 25; d += 3) {
          String gap = " " + LETTERS.substring(0, d) + " ";
          String text = PROSE.substring(0, 3_000) + " " + e.getValue() + gap + other.getValue() + " "
              + PROSE.substring(3_000);
          int first = 3_001;
          int second = first + e.getValue().length() + gap.length();
          assertThat(check.inspect(text)).as("%s then %s, %d apart", e.getKey(), other.getKey(), d)
              .extracting(GuardFinding::ruleId, GuardFinding::start, GuardFinding::end)
              .containsExactly(
                  tuple(e.getKey().id(), first, first + e.getValue().length()),
                  tuple(other.getKey().id(), second, second + other.getValue().length()));
        }
      }
    }
  }

  @Test
  void anAddressWithALocalPartOfEveryLengthUpToTheLimitAfterOtherAddresses() {
    EmailRecognizer emails = new EmailRecognizer();
    String before = PROSE.substring(0, 2_000) + " bob@example.org ann@x.io, ";
    PiiSpan bob = new PiiSpan(before.indexOf("bob@"), before.indexOf("bob@") + 15);
    PiiSpan ann = new PiiSpan(before.indexOf("ann@"), before.indexOf("ann@") + 8);
    for (int len = 1; len <= 65; len++) {
      StringBuilder local = new StringBuilder();
      for (int k = 0; k < len; k++) {
        local.append(k % 3 == 2 && k < len - 1 ? '.' : 'j');
      }
      String text = before + local + "@example.com " + PROSE.substring(2_000);
      List<PiiSpan> expected = new ArrayList<>(List.of(bob, ann));
      if (len <= 64) { // RFC 5321
        expected.add(new PiiSpan(before.length(), before.length() + len + 12));
      }
      assertThat(emails.find(text)).as("a local part of %d", len).isEqualTo(expected);
    }
  }

  private void assertFoundOnce(PiiEntity entity, String text, int start) {
    assertThat(check.inspect(text)).as("%s at %d of %d", entity, start, text.length())
        .containsExactly(new GuardFinding(GuardAction.MASK, entity.category(), entity.defaultSeverity(), entity.id(),
            start, start + VALUES.get(entity).length()));
  }

  /** Plain words with a year now and then, as a long prompt has them. */
  private static String prose(int length) {
    String[] words = {"the", "order", "was", "shipped", "to", "our", "customer", "on", "time", "and", "we", "will",
        "review", "the", "attached", "invoice", "soon", "please"};
    Random random = new Random(5);
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      text.append(words[random.nextInt(words.length)]).append(random.nextInt(25) == 0 ? " 2024 " : " ");
    }
    return text.toString().strip();
  }
}
