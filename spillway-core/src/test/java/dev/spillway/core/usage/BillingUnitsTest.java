package dev.spillway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BillingUnitsTest {
  @Test
  void charactersAreCodePointsNotUtf16Units() {
    // "é" precomposed is one char; the snowman is one; the rocket (U+1F680) is two UTF-16 units but one character.
    String text = "caf\u00e9 \u2603 \uD83D\uDE80";
    assertThat(text.length()).isEqualTo(9);
    BillingUnits units = BillingUnits.characters(text);
    assertThat(units.kind()).isEqualTo(BillingUnits.Kind.CHARACTERS);
    assertThat(units.amount()).isEqualTo(8.0);
    assertThat(units.estimated()).isFalse();
  }

  @Test
  void refusesNegativeAndNonFiniteAmounts() {
    assertThatThrownBy(() -> BillingUnits.audioSeconds(-0.5, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BillingUnits.audioSeconds(Double.NaN, true)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BillingUnits(BillingUnits.Kind.IMAGES, Double.POSITIVE_INFINITY, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BillingUnits(null, 1, false)).isInstanceOf(NullPointerException.class);
    assertThat(BillingUnits.images(0).amount()).isZero();
  }

  @Test
  void kindsGoByTheirLedgerNames() {
    assertThat(BillingUnits.Kind.IMAGES.wireName()).isEqualTo("images");
    assertThat(BillingUnits.Kind.AUDIO_SECONDS.wireName()).isEqualTo("audio_seconds");
    assertThat(BillingUnits.Kind.CHARACTERS.wireName()).isEqualTo("characters");
    for (BillingUnits.Kind kind : BillingUnits.Kind.values()) {
      assertThat(BillingUnits.Kind.fromWireName(kind.wireName())).contains(kind);
    }
    assertThat(BillingUnits.Kind.fromWireName("tokens")).isEmpty();
    assertThat(BillingUnits.Kind.fromWireName("IMAGES")).isEmpty();
  }
}
