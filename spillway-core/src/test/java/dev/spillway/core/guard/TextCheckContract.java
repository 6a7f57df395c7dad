package dev.spillway.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TextCheck} promises, as tests a check's own test class inherits: it gives the check and texts on
 * which the check must find something (and, if it likes, texts on which it must find nothing). The suite asserts that
 * the empty text has no findings; that findings are ordered by start and their spans lie inside the text; that the
 * same text, given again or as another {@link CharSequence}, gives equal findings; that several threads inspecting
 * at once get what one thread gets; and that a finding's {@code toString} never shows the text it points at.
 *
 * <p>The samples should hold at least one finding whose text is three characters or longer (shorter ones may occur in
 * any string by chance, so they are not compared), and a check's rule ids and names should not be words of its own
 * samples.
 */
public abstract class TextCheckContract {
  private static final int THREADS = 4;
  private static final int ROUNDS = 200;

  /** The check under test; may be the same instance on every call. */
  protected abstract TextCheck check();

  /** Texts on which the check must find something, covering each kind of finding it makes. */
  protected abstract List<String> textsWithFindings();

  /** Texts on which the check must find nothing; none unless a subclass says. */
  protected List<String> textsWithoutFindings() {
    return List.of();
  }

  private List<String> allTexts() {
    List<String> texts = new ArrayList<>(textsWithFindings());
    texts.addAll(textsWithoutFindings());
    return texts;
  }

  @Test
  public void theIdIsNamedAndStable() {
    assertThat(check().id()).isNotBlank().isEqualTo(check().id());
  }

  @Test
  public void theEmptyTextHasNoFindings() {
    assertThat(check().inspect("")).isEmpty();
    assertThat(check().inspect(new StringBuilder())).isEmpty();
  }

  @Test
  public void eachSampleHasFindingsAndEachCleanTextNone() {
    assertThat(textsWithFindings()).as("samples with findings").isNotEmpty();
    for (String text : textsWithFindings()) {
      assertThat(check().inspect(text)).as("findings in sample %s", abbreviate(text)).isNotEmpty();
    }
    for (String text : textsWithoutFindings()) {
      assertThat(check().inspect(text)).as("findings in clean text %s", abbreviate(text)).isEmpty();
    }
  }

  @Test
  public void findingsAreOrderedByStartAndLieInsideTheText() {
    for (String text : allTexts()) {
      List<GuardFinding> findings = check().inspect(text);
      assertThat(findings).as("order in %s", abbreviate(text)).isSortedAccordingTo((a, b) -> a.start() - b.start());
      for (GuardFinding finding : findings) {
        assertThat(finding.end()).as("end of %s", finding).isLessThanOrEqualTo(text.length());
      }
    }
  }

  @Test
  public void theSameTextGivesEqualFindingsAgainAndAsAnotherCharSequence() {
    for (String text : allTexts()) {
      List<GuardFinding> first = check().inspect(text);
      assertThat(check().inspect(text)).as("again in %s", abbreviate(text)).isEqualTo(first);
      assertThat(check().inspect(new String(text.toCharArray()))).isEqualTo(first);
      assertThat(check().inspect(new StringBuilder(text))).as("as a StringBuilder").isEqualTo(first);
    }
  }

  @Test
  public void threadsInspectingAtOnceGetWhatOneThreadGets() throws Exception {
    TextCheck check = check();
    List<String> texts = allTexts();
    List<List<GuardFinding>> expected = texts.stream().map(check::inspect).toList();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          List<String> wrong = new ArrayList<>();
          for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < texts.size(); k++) {
              int i = (k + offset + round) % texts.size();
              if (!check.inspect(texts.get(i)).equals(expected.get(i))) {
                wrong.add("round " + round + ", text " + i);
              }
            }
          }
          return wrong;
        }));
      }
      for (Future<List<String>> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).as("inspections that differed from one thread's").isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void aFindingNeverShowsTheTextItPointsAt() {
    int compared = 0;
    for (String text : textsWithFindings()) {
      for (GuardFinding finding : check().inspect(text)) {
        String pointedAt = finding.hasSpan() ? text.substring(finding.start(), finding.end()) : text;
        if (pointedAt.strip().length() >= 3) {
          assertThat(finding.toString()).doesNotContain(pointedAt.strip());
          compared++;
        }
      }
    }
    assertThat(compared).as("findings over three characters or more in the samples").isPositive();
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? "'" + text + "'" : "'" + text.substring(0, 57) + "...' (" + text.length() + " chars)";
  }
}
