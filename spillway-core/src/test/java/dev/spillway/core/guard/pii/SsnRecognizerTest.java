package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Spans.found;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsnRecognizerTest {
  private final SsnRecognizer ssns = new SsnRecognizer();

  @ParameterizedTest
  @ValueSource(strings = {"536-22-8841", "536 22 8841", "001-01-0001", "899-99-9999", "665-12-3456", "667-12-3456"})
  void findsIssuableNumbersWithDashesOrSpaces(String ssn) {
    assertThat(found(ssns, "Applicant " + ssn + " signed.")).containsExactly(ssn);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", // areas never issued
    "536-00-8841", // group 00
    "536-22-0000", // serial 0000
    "078-05-1120", "219-09-9999", "457-55-5462", "123-45-6789", // printed in public
    "536-22 8841", // two kinds of separator
    "536.22.8841", // dots: not an SSN's way
    "5362-2-8841", "53-622-8841", // not 3-2-4
    "12-536-22-8841", "536-22-8841-7", // inside a longer digit run
    "x536-22-8841", "536-22-8841b"
  })
  void refusesNumbersNeverIssuedAndOtherShapes(String text) {
    assertThat(found(ssns, "ref " + text + " end")).isEmpty();
  }

  @Test
  void aBareNineDigitRunNeedsTheWordBeforeIt() {
    assertThat(found(ssns, "SSN: 536228841")).containsExactly("536228841");
    assertThat(found(ssns, "my social security number is 536228841.")).containsExactly("536228841");
    assertThat(found(ssns, "Soc. Sec. no 536228841")).containsExactly("536228841");
    assertThat(found(ssns, "ZIP 941031234 and routing 536228841")).isEmpty();
    assertThat(found(ssns, "SSN on file; order 1234 then, much later on, 536228841")).as("beyond 30 characters")
        .isEmpty();
    assertThat(found(ssns, "SSN: 666228841")).as("area 666 stays refused").isEmpty();
    assertThat(found(ssns, "lessn 536228841")).as("ssn inside another word").isEmpty();
  }

  @Test
  void offsetsAndSeveralNumbers() {
    String text = "536-22-8841, 412 38 1290; SSN 401328721";
    assertThat(ssns.find(text)).containsExactly(new PiiSpan(0, 11), new PiiSpan(13, 24), new PiiSpan(30, 39));
  }
}
