package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Spans.found;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailRecognizerTest {
  private final EmailRecognizer emails = new EmailRecognizer();

  @ParameterizedTest
  @ValueSource(strings = {
    "jane@example.com", "jane.doe@example.co.uk", "j.o.h.n+tag@mail.example.org", "o'brien@example.ie",
    "x_y-z@sub-domain.example.museum", "1234@example.com", "+12127364100@sms.example.com", "user!#$%&*=?^~{|}@example.net", "a@b.io"
  })
  void findsDotAtomAddresses(String address) {
    assertThat(found(emails, "Write to " + address + " today.")).containsExactly(address);
  }

  @Test
  void proseAroundAnAddressStaysOutside() {
    assertThat(found(emails, "mail 'bob@example.com', or (ann@example.org).")).containsExactly("bob@example.com",
        "ann@example.org");
    assertThat(found(emails, "mailto:bob@example.com")).containsExactly("bob@example.com");
    assertThat(found(emails, "to <bob@example.com>; and/or ann@example.org")).containsExactly("bob@example.com",
        "ann@example.org");
    assertThat(found(emails, "cc/ann@example.org")).as("a slash is atext").containsExactly("cc/ann@example.org");
    assertThat(found(emails, "Ask bob@example.com.")).containsExactly("bob@example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "bob@localhost", // no top-level domain
    "bob@example.c0m", // digits in the top-level domain
    "bob@example.c", // one letter
    "bob@-example.com", // a label starting with a hyphen
    "bob@example-.com", // ending with one
    "bob..smith@example.com", // two dots
    ".bob@example.com", // a leading dot
    "bob.@example.com", // a trailing dot
    "@example.com", // no local part
    "bob@", // no domain
    "\"john doe\"@example.com", // quoted local part: left out of the subset
    "user@[192.0.2.1]", // address literal: left out too
    "@handle on social media",
    "icon@2x.png", "logo@3x.WEBP", "report@final.pdf" // file names
  })
  void refusesWhatIsNotAnAddressOfTheSubset(String text) {
    assertThat(found(emails, "see " + text + " now")).isEmpty();
  }

  @Test
  void aFileExtensionThatIsAlsoADomainStaysAnAddress() {
    assertThat(found(emails, "ann@example.md and bob@files.zip")).containsExactly("ann@example.md",
        "bob@files.zip");
  }

  @Test
  void anSshRemoteReadsAsTheAddressItIsShapedLike() {
    assertThat(found(emails, "git@github.com:owner/repo.git")).containsExactly("git@github.com");
  }

  @Test
  void aLocalPartOverSixtyFourCharactersIsNotAnAddress() {
    assertThat(found(emails, "a".repeat(64) + "@example.com")).hasSize(1);
    assertThat(found(emails, "a".repeat(65) + "@example.com")).isEmpty();
  }

  @Test
  void aPathologicalTextIsReadQuickly() {
    String text = "a'".repeat(100_000) + "a.b.".repeat(50_000) + "@";
    long t0 = System.nanoTime();
    assertThat(emails.find(text)).isEmpty();
    assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
  }
}
