package dev.spillway.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.pii.PiiScores.Tally;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PII check's precision and recall on the generated sample ({@link PiiSampleGenerator}), every entity configured,
 * phone region US. The floors are what the recognizers achieve on the committed seed (bench/results/guard-pii.md): no
 * error but the IP recognizer's on bare four-part version numbers ({@code upgraded to 5.7.10.181}), which it cannot
 * tell from addresses. A recognizer change that costs a single true positive, or lets a near miss through, fails here.
 */
class PiiQualityTest {
  private static final double IP_PRECISION_FLOOR = 0.95;
  private static PiiCheck check;
  private static PiiScores scores;

  @BeforeAll
  static void score() {
    check = PiiCheck.builder().allEntities(GuardAction.MASK).build();
    scores = PiiScores.score(check, PiiSampleGenerator.generate(PiiSampleGenerator.SEED));
  }

  @Test
  void everyEntityIsFoundInEverySampleThatHoldsIt() {
    for (Map.Entry<PiiEntity, Tally> e : scores.all().entrySet()) {
      assertThat(e.getValue().recall()).as(e.getKey().id()).isEqualTo(1.0);
    }
  }

  @Test
  void nothingButCardsIbansEmailsSsnsAndPhonesIsReportedAsThem() {
    for (PiiEntity e : PiiEntity.values()) {
      if (e != PiiEntity.IP_ADDRESS) {
        assertThat(scores.of(e).precision()).as(e.id()).isEqualTo(1.0);
      }
    }
  }

  @Test
  void ipAddressPrecisionIsBoundedByBareVersionNumbersOnly() {
    assertThat(scores.of(PiiEntity.IP_ADDRESS).precision()).isGreaterThanOrEqualTo(IP_PRECISION_FLOOR);
    assertThat(scores.errors()).allSatisfy(err -> {
      assertThat(err.variety()).isEqualTo("ip_address/version_bare");
      assertThat(err.falseNegatives()).isZero();
    });
  }

  @Test
  void theFiguresHoldOnOtherSeeds() {
    for (long seed = 1; seed <= 3; seed++) {
      PiiScores other = PiiScores.score(check, PiiSampleGenerator.generate(seed));
      for (Map.Entry<PiiEntity, Tally> e : other.all().entrySet()) {
        assertThat(e.getValue().recall()).as("seed %d, %s", seed, e.getKey().id()).isEqualTo(1.0);
        double floor = e.getKey() == PiiEntity.IP_ADDRESS ? IP_PRECISION_FLOOR : 1.0;
        assertThat(e.getValue().precision()).as("seed %d, %s", seed, e.getKey().id()).isGreaterThanOrEqualTo(floor);
      }
    }
  }
}
