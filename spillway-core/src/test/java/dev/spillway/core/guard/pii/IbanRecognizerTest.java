package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Spans.found;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IbanRecognizerTest {
  private final IbanRecognizer ibans = new IbanRecognizer();

  @ParameterizedTest
  @ValueSource(strings = {
    "DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300",
    "BE68539007547034", "CH9300762011623852957", "ES9121000418450200051332", "IT60X0542811101000000123456",
    "AT611904300234573201", "NO9386011117947", "MT84MALT011000012345MTLCAST001S", "SE4550000000058398257466",
    "PL61109010140000071219812874", "GR1601101250000000012300695", "LU280019400644750000", "IE29AIBK93115212345678",
    "PT50000201231234567890154", "BR1800360305000010009795493C1", "SA0380000000608010167519",
    "TR330006100519786457841326"
  })
  void findsValidIbansOfManyCountriesPlainAndInPrintForm(String iban) {
    assertThat(found(ibans, "Pay to " + iban + ".")).containsExactly(iban);
    String print = iban.replaceAll("(.{4})(?!$)", "$1 ");
    assertThat(found(ibans, "Pay to " + print + ".")).containsExactly(print);
  }

  @Test
  void anyCaseIsRead() {
    assertThat(found(ibans, "iban de89 3704 0044 0532 0130 00 ok")).containsExactly("de89 3704 0044 0532 0130 00");
    assertThat(found(ibans, "gb82west12345698765432")).containsExactly("gb82west12345698765432");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "DE89370400440532013001", // one digit changed: checksum fails
    "DE98370400440532013000", // check digits swapped
    "DE8937040044053201300", // one short for Germany
    "DE893704004405320130000", // one long
    "XX89370400440532013000", // no such country
    "US89370400440532013000", // the US issues no IBANs
    "DE89 3704 0044 0532 0130 0", // print form one short
    "DE89 37040044 0532 0130 00", // groups not of four
    "DE89  3704 0044 0532 0130 00", // two spaces
    "ADE89370400440532013000", // part of a longer token
    "DE89370400440532013000X",
    "DE89370400440532013000_"
  })
  void refusesNearMisses(String text) {
    assertThat(found(ibans, "to " + text + " now")).isEmpty();
  }

  @Test
  void spansAreOffsetsOfTheWholeNumber() {
    String text = "A: BE68539007547034; B: NL91 ABNA 0417 1643 00";
    assertThat(ibans.find(text)).containsExactly(new PiiSpan(3, 19), new PiiSpan(24, 46));
  }

  @Test
  void theCountryTableKnowsEverySepaCountry() {
    for (String c : ("AD AL AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT LI LT LU LV MC MD ME MK MT NL"
        + " NO PL PT RO RS SE SI SK SM VA").split(" ")) {
      assertThat(IbanCountries.length(c)).as(c).isPresent();
    }
    assertThat(IbanCountries.length("DE")).hasValue(22);
    assertThat(IbanCountries.length("NO")).hasValue(15);
    assertThat(IbanCountries.length("LC")).hasValue(32);
    assertThat(IbanCountries.length("US")).isEmpty();
  }
}
