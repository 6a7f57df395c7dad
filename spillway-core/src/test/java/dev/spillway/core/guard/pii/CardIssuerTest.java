package dev.spillway.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CardIssuerTest {
  @ParameterizedTest
  @CsvSource({
    "4111111111111111, VISA",
    "4222222222222, VISA",
    "4111111111111111110, VISA",
    "5555555555554444, MASTERCARD",
    "2221000000000009, MASTERCARD",
    "2720990000000007, MASTERCARD",
    "378282246310005, AMEX",
    "6011000990139424, DISCOVER",
    "6221260000000000, DISCOVER",
    "30569309025904, DINERS",
    "3095000000000000, DINERS",
    "3530111333300000, JCB",
    "6200000000000005, UNIONPAY",
    "8171999927660000, UNIONPAY",
    "6759649826438453, MAESTRO",
    "5018000000000009, MAESTRO"
  })
  void namesTheIssuerOfAPrefixAndLength(String number, CardIssuer issuer) {
    assertThat(CardIssuer.of(number)).contains(issuer);
  }

  @ParameterizedTest
  @CsvSource({
    "2220990000000000", // just below the Mastercard 2-series
    "2721000000000000", // just above it
    "3527000000000000", // just below JCB
    "1234567812345670", // no issuer starts with 1
    "41111111111111111", // Visa has no 17-digit numbers
    "37828224631000", // Amex is 15 digits
    "5555555555554444000" // Mastercard is 16
  })
  void noIssuerOutsideTheTable(String number) {
    assertThat(CardIssuer.of(number)).isEmpty();
  }

  @Test
  void luhnAcceptsValidNumbersAndRefusesOneChangedDigitOrSwappedNeighbours() {
    assertThat(CardIssuer.luhn("4111111111111111")).isTrue();
    assertThat(CardIssuer.luhn("378282246310005")).isTrue();
    assertThat(CardIssuer.luhn("4111111111111112")).isFalse();
    assertThat(CardIssuer.luhn("378282246301005")).isFalse(); // 1 and 0 swapped
  }
}
