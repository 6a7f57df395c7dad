package dev.spillway.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.guard.pii.PiiSample.Label;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation's sample is what it claims: large enough, reproducible, and its labelled values valid by the book. */
class PiiSampleGeneratorTest {
  private final List<PiiSample> sample = PiiSampleGenerator.generate(PiiSampleGenerator.SEED);

  @Test
  void theSameSeedGivesTheSameSampleAndAnotherSeedAnother() {
    assertThat(PiiSampleGenerator.generate(PiiSampleGenerator.SEED)).isEqualTo(sample);
    assertThat(PiiSampleGenerator.generate(7)).isNotEqualTo(sample);
  }

  @Test
  void atLeastTwoThousandItemsWithPositivesAndNearMissesOfEveryEntity() {
    assertThat(sample).hasSizeGreaterThanOrEqualTo(2000);
    for (PiiEntity e : PiiEntity.values()) {
      assertThat(sample.stream().filter(s -> s.subject().equals(e.id()) && !s.nearMiss())).as(e.id()).hasSize(250);
      assertThat(sample.stream().filter(s -> s.subject().equals(e.id()) && s.nearMiss())).as(e.id()).hasSize(150);
    }
    assertThat(sample.stream().filter(s -> s.nearMiss()).flatMap(s -> s.labels().stream())).isEmpty();
    assertThat(sample.stream().filter(s -> s.subject().equals("other"))).hasSizeGreaterThanOrEqualTo(400);
  }

  @Test
  void labelsLieInsideTheirTextsWithoutOverlapping() {
    for (PiiSample s : sample) {
      int lastEnd = 0;
      for (Label l : s.labels()) {
        assertThat(l.start()).isGreaterThanOrEqualTo(lastEnd);
        assertThat(l.end()).isLessThanOrEqualTo(s.text().length()).isGreaterThan(l.start());
        lastEnd = l.end();
      }
    }
  }

  @Test
  void labelledCardsPassLuhnAndLabelledIbansPassMod97() {
    for (PiiSample s : sample) {
      for (Label l : s.labels()) {
        String value = s.text().substring(l.start(), l.end());
        if (l.entity() == PiiEntity.CREDIT_CARD) {
          assertThat(luhn(value.replaceAll("[ -]", ""))).as(value).isTrue();
        } else if (l.entity() == PiiEntity.IBAN) {
          String iban = value.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
          StringBuilder numeric = new StringBuilder();
          for (char c : (iban.substring(4) + iban.substring(0, 4)).toCharArray()) {
            numeric.append(Character.getNumericValue(c));
          }
          assertThat(new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue()).as(value).isOne();
        } else if (l.entity() == PiiEntity.US_SSN) {
          String digits = value.replaceAll("[ -]", "");
          int area = Integer.parseInt(digits.substring(0, 3));
          assertThat(area).as(value).isBetween(1, 899).isNotEqualTo(666);
          assertThat(digits.substring(3, 5)).isNotEqualTo("00");
          assertThat(digits.substring(5)).isNotEqualTo("0000");
        }
      }
    }
  }

  private static boolean luhn(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      sum += i % 2 == 1 ? (d * 2) / 10 + (d * 2) % 10 : d;
    }
    return sum % 10 == 0;
  }
}
