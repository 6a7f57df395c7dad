package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Spans.found;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreditCardRecognizerTest {
  private final CreditCardRecognizer cards = new CreditCardRecognizer();

  @ParameterizedTest
  @ValueSource(strings = {
    "4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", // Visa
    "4222222222222", "4111 1111 1111 1111 110", // Visa 13 and 19
    "5555 5555 5555 4444", "2223 0031 2200 3222", // Mastercard, 2-series
    "3782 822463 10005", "371449635398431", // Amex 4-6-5
    "6011-0009-9013-9424", // Discover
    "3056 930902 5904", // Diners 4-6-4
    "3530 1113 3330 0000", // JCB
    "6200 0000 0000 0005", // UnionPay
    "6759 6498 2643 8453" // Maestro
  })
  void findsEachIssuersNumberPlainOrGrouped(String number) {
    assertThat(found(cards, "Please charge " + number + ", thanks.")).containsExactly(number);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "4111111111111112", // Luhn fails
    "4111 1111 1111 1121", // Luhn fails
    "1234567812345670", // Luhn holds, no issuer starts with 1
    "3782822463100059", // Amex prefix, but 16 digits
    "41111111111111111", // 17 digits: no Visa length
    "4111 1111-1111 1111", // two kinds of separator
    "41 1111 1111 1111 11", // not a card layout
    "4111  1111  1111  1111", // double spaces
    "x4111111111111111", // part of a token
    "4111111111111111b",
    "0.4111111111111111", // a decimal
    "4111111111111111,25",
    "1234 4111 1111 1111 1111" // a 20-digit number, not a card after 1234
  })
  void refusesNearMisses(String text) {
    assertThat(found(cards, "ref " + text + " end")).isEmpty();
  }

  @Test
  void anExpiryDateOrATimeAfterTheNumberIsNotAGroupOfIt() {
    assertThat(found(cards, "card 4111 1111 1111 1111 12/27")).containsExactly("4111 1111 1111 1111");
    assertThat(found(cards, "card 4111-1111-1111-1111-10:30")).containsExactly("4111-1111-1111-1111");
  }

  @Test
  void aCardShapedRunIsJudgedWhole() {
    // 19 digits in groups of four: not a Mastercard (16 digits) followed by a code, nor a Visa (checksum fails).
    assertThat(found(cards, "card 5555 5555 5555 4444 737 cvc")).isEmpty();
    assertThat(found(cards, "ref 4111 1111 1111 1111 123")).isEmpty();
    // 17 digits: no Visa length, though its first 16 are a Visa card.
    assertThat(found(cards, "ref 4111-1111-1111-1111-1")).isEmpty();
  }

  @Test
  void aBarcodeIsNotACard() {
    // 4011082019442: an EAN-13 (weights 1 and 3) that also passes Luhn, with a Visa prefix and length.
    assertThat(found(cards, "pay with 4011082019442")).containsExactly("4011082019442");
    assertThat(found(cards, "Barcode EAN 4011082019442 on the box")).isEmpty();
    assertThat(found(cards, "GTIN: 4011082019442")).isEmpty();
  }

  @Test
  void aRunAttachedToAWordIsNotLookedAt() {
    assertThat(found(cards, "XX74 4111 1111 1111 1111")).isEmpty();
    assertThat(found(cards, "4111 1111 1111 1111abc")).isEmpty();
  }

  @Test
  void findsSeveralCardsAndGivesTheirOffsets() {
    String text = "4111111111111111 and 5555-5555-5555-4444 and 378282246310005";
    assertThat(cards.find(text)).containsExactly(new PiiSpan(0, 16), new PiiSpan(21, 40), new PiiSpan(45, 60));
    assertThat(found(cards, "4111 1111 1111 1111 5555 5555 5555 4444"))
        .containsExactly("4111 1111 1111 1111", "5555 5555 5555 4444");
  }

  @Test
  void aCardAtTheEdgesOfTheTextOrInPunctuationCounts() {
    assertThat(found(cards, "4111111111111111")).containsExactly("4111111111111111");
    assertThat(found(cards, "(4111-1111-1111-1111)")).containsExactly("4111-1111-1111-1111");
    assertThat(found(cards, "card:4111111111111111.")).containsExactly("4111111111111111");
  }

  @Test
  void aLongDigitTextIsReadInLinearTime() {
    String longRun = "1 ".repeat(200_000);
    long t0 = System.nanoTime();
    assertThat(cards.find(longRun)).isEmpty();
    assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
  }
}
