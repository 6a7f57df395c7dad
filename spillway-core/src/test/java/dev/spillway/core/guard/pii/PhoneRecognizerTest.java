package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Spans.found;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneRecognizerTest {
  private final PhoneRecognizer us = new PhoneRecognizer("US");

  @ParameterizedTest
  @ValueSource(strings = {
    "(212) 736-4100", "212-736-4100", "212.736.4100", "+1 (617) 253-1000", "+1 212 736 4100", // US
    "+44 20 7946 0958", "+49 30 901820", "+33 1 42 68 53 00", "+81 3-3224-9999", "+91 98765 43210",
    "+61 2 9374 4000", "+55 11 91234-5678", "+86 10 6552 9988"
  })
  void findsValidNumbersNationalInTheRegionAndInternational(String number) {
    assertThat(found(us, "Reach us on " + number + " any day.")).containsExactly(number);
  }

  @Test
  void aNationalNumberIsReadInTheConfiguredRegion() {
    String text = "Ring 020 7946 0958 after six.";
    assertThat(found(us, text)).isEmpty();
    assertThat(found(new PhoneRecognizer("gb"), text)).containsExactly("020 7946 0958");
  }

  @Test
  void aBareDigitRunNeedsAPhoneWordBeforeIt() {
    assertThat(found(us, "call me at 2127364100 tonight")).containsExactly("2127364100");
    assertThat(found(us, "my cell: 12127364100")).containsExactly("12127364100");
    assertThat(found(us, "Order 2127364100 has shipped")).isEmpty();
    assertThat(found(us, "invoice 3125550100, due")).isEmpty();
    assertThat(found(us, "order 2127364100, call about it")).as("the word comes after").isEmpty();
    assertThat(found(us, "Order (212) 736-4100 is a phone by its shape")).containsExactly("(212) 736-4100");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "123-45-6789", "1234567890", "4111 1111 1111 1111", "192.168.100.200", "2024-03-15", "94103-1234",
    "978-3-16-148410-0", "$1,299.99", "555-0199", "1Z999AA10123456784"
  })
  void leavesOtherNumbersAlone(String text) {
    assertThat(found(us, "phone " + text + " end")).isEmpty();
  }

  @Test
  void aNumberGluedIntoAnIdentifierIsNotAPhone() {
    assertThat(found(us, "pay INV-2024-525703 now")).isEmpty();
    assertThat(found(us, "ref INV-212-736-4100 now")).isEmpty();
    assertThat(found(us, "ref 212-736-4100 now")).containsExactly("212-736-4100");
    assertThat(found(us, "see doc_212-736-4100.pdf")).isEmpty();
    assertThat(found(us, "call 212-736-4100.")).containsExactly("212-736-4100");
  }

  @Test
  void aNationalNumberMustBeGroupedTheWayItsRegionWritesIt() {
    assertThat(found(us, "call 212 7364100 or 1 (212) 736-4100")).containsExactly("212 7364100", "1 (212) 736-4100");
    assertThat(found(us, "IBAN NL52 AJNF 6305 4498 15")).isEmpty();
    assertThat(found(us, "FedEx 1160 9358 5444")).isEmpty();
    assertThat(found(us, "call 2127 364 100")).isEmpty();
    assertThat(found(us, "call +49 30 9018 20")).as("international: any grouping").containsExactly("+49 30 9018 20");
    assertThat(found(new PhoneRecognizer("GB"), "ring 020 7946 0958 or 0044 20 7946 0958"))
        .containsExactly("020 7946 0958", "0044 20 7946 0958");
  }

  @Test
  void anIpShapedNumberIsNotAPhone() {
    assertThat(found(us, "host 154.07.159.116")).isEmpty();
    assertThat(found(us, "call 212.736.4100")).containsExactly("212.736.4100");
    assertThat(found(new PhoneRecognizer("FR"), "appelez le 01.42.68.53.00")).containsExactly("01.42.68.53.00");
  }

  @Test
  void anUnknownRegionIsRefused() {
    assertThatThrownBy(() -> new PhoneRecognizer("XX")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'XX'");
    assertThat(new PhoneRecognizer(" de ").region()).isEqualTo("DE");
  }
}
