package dev.spillway.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import dev.spillway.core.guard.pii.PhoneWindows.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PhoneWindowsTest {
  private final PhoneWindows us = new PhoneWindows("US");

  @Test
  void proseWithShortNumbersGetsNoWindow() {
    assertThat(us.of("In 2024 the company shipped 12 orders to three customers; see page 17 in the annual 2023"
        + " report.", List.of())).isEmpty();
    assertThat(us.of("In 2024 we shipped 12 orders", List.of())).as("six digits and a short bridge").hasSize(1);
  }

  @Test
  void aNumberGetsOneWindowWithRoomForLeadCharactersAndWhatFollows() {
    String text = "x".repeat(100) + " call (212) 736-4100 today " + "y".repeat(100);
    int first = text.indexOf("212");
    int last = text.indexOf("4100") + 4;
    assertThat(us.of(text, List.of())).containsExactly(
        new Window(first - PhoneWindows.BEFORE, last + PhoneWindows.AFTER));
    assertThat(us.of("212-736-4100", List.of())).as("clipped to the text").containsExactly(new Window(0, 12));
  }

  @Test
  void digitsBridgedTheWayLibphonenumberBridgesThemFormOneCluster() {
    assertThat(us.of("12 extensión: 3456 and more", List.of())).as("ten bridging characters: one cluster of six")
        .hasSize(1);
    assertThat(us.of("12 extensiónes 3456 and more", List.of())).as("eleven: two short clusters").isEmpty();
    assertThat(us.of("123" + " ,-".repeat(40) + "456", List.of())).as("spaces, commas and hyphens repeat at will")
        .hasSize(1);
  }

  @Test
  void theThresholdIsTheShortestValidNumberAnyWayItIsWritten() {
    assertThat(us.minDigits()).as("a US number has ten digits, but +43 and four more is valid too")
        .isLessThan(10).isGreaterThan(3);
    String justEnough = "see " + "1".repeat(us.minDigits());
    String tooFew = "see " + "1".repeat(us.minDigits() - 1);
    assertThat(us.of(justEnough, List.of())).hasSize(1);
    assertThat(us.of(tooFew, List.of())).isEmpty();
    assertThat(new PhoneWindows("NU").minDigits()).as("Niue's four-digit national numbers").isEqualTo(4);
  }

  @Test
  void theShortestInternationalNumbersAreFoundInALongText() {
    String prose = "we said in 2024 that the order shipped on time. ".repeat(180);
    String text = prose + "Call Niue on +683 7290 or Tokelau on +690 3291. " + prose;
    int niue = text.indexOf("+683");
    int tokelau = text.indexOf("+690");
    assertThat(new PhoneRecognizer("US").find(text)).containsExactly(new PiiSpan(niue, niue + 9),
        new PiiSpan(tokelau, tokelau + 9));
  }

  @Test
  void aClusterInsideClaimedSpansIsSkippedAndOneStickingOutIsNot() {
    String text = "card 4111 1111 1111 1111 end";
    PiiSpan card = new PiiSpan(5, 24);
    assertThat(us.of(text, List.of(card))).isEmpty();
    assertThat(us.of(text, List.of(new PiiSpan(5, 20)))).hasSize(1);
    assertThat(us.of(text, List.of())).hasSize(1);
  }

  @Test
  void nearbyWindowsMerge() {
    String text = "call 212-736-4100 or 212-736-4101 " + "z".repeat(200) + " or 212-736-4102";
    List<Window> windows = us.of(text, List.of());
    assertThat(windows).hasSize(2);
    assertThat(windows.get(0)).isEqualTo(new Window(0, text.indexOf("4101") + 4 + PhoneWindows.AFTER));
  }

  /** The promise the windows keep: the numbers found in them are the numbers a scan of the whole text finds. */
  @Test
  void longTextsGiveWhatAScanOfTheWholeTextGives() {
    List<String> corpus = PiiSampleGenerator.generate(PiiSampleGenerator.SEED).stream().map(PiiSample::text)
        .toList();
    String[] joiners = {" ", "\n", " 2024 ", "", "-", "+", "(", " ext ", ", ", "  ", "x", "/", " ".repeat(20)};
    Random random = new Random(11);
    int numbers = 0;
    for (String region : List.of("US", "GB", "DE")) {
      PhoneRecognizer phones = new PhoneRecognizer(region);
      for (int t = 0; t < 12; t++) {
        StringBuilder text = new StringBuilder();
        while (text.length() < 8_700) {
          text.append(corpus.get(random.nextInt(corpus.size()))).append(joiners[random.nextInt(joiners.length)]);
        }
        String s = text.toString();
        List<PiiSpan> whole = new ArrayList<>();
        for (PhoneNumberMatch m : phones.libphonenumberScan(s)) {
          PiiSpan span = new PiiSpan(m.start(), m.end());
          if (PhoneRecognizer.kept(s, span, m)) {
            whole.add(span);
          }
        }
        assertThat(phones.find(s)).as("region %s, text %d", region, t).isEqualTo(whole);
        numbers += whole.size();
      }
    }
    assertThat(numbers).as("the texts hold numbers to find").isGreaterThan(100);
  }
}
