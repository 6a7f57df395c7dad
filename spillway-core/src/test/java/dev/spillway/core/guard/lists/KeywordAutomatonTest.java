package dev.spillway.core.guard.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.guard.lists.KeywordAutomaton.Match;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeywordAutomatonTest {

  private static List<String> found(List<String> terms, String text) {
    KeywordAutomaton automaton = KeywordAutomaton.build(terms);
    return automaton.matches(text).stream()
        .map(m -> terms.get(m.term()) + "@" + m.start() + "-" + m.end() + ":" + text.substring(m.start(), m.end()))
        .toList();
  }

  @Test
  void aTermMatchesOnlyAsAWholeWord() {
    List<String> terms = List.of("ass");
    assertThat(found(terms, "class assignment bass ass1 1ass")).isEmpty();
    assertThat(found(terms, "ass")).containsExactly("ass@0-3:ass");
    assertThat(found(terms, "(ass), ass! ass_x"))
        .containsExactly("ass@1-4:ass", "ass@7-10:ass", "ass@12-15:ass");
  }

  @Test
  void lettersAndMarksOfOtherScriptsAreWordCharactersToo() {
    assertThat(found(List.of("ber"), "über")).isEmpty();
    assertThat(found(List.of("cafe"), "cafe\u0301 au lait")).isEmpty();
    assertThat(found(List.of("cafe"), "café cafe.")).containsExactly("cafe@5-9:cafe");
    assertThat(found(List.of("mir"), "мир mir٣")).isEmpty(); // Arabic-Indic digit after it
  }

  @Test
  void caseIsFoldedPerCodePointAcrossScripts() {
    assertThat(found(List.of("привет"), "ПРИВЕТ, мир")).containsExactly("привет@0-6:ПРИВЕТ");
    assertThat(found(List.of("οδοσ"), "η Οδος")).containsExactly("οδοσ@2-6:Οδος"); // final sigma
    assertThat(found(List.of("istanbul"), "İstanbul ıstanbul"))
        .containsExactly("istanbul@0-8:İstanbul", "istanbul@9-17:ıstanbul");
    assertThat(found(List.of("kelvin"), "\u212aELVIN")).hasSize(1); // Kelvin sign
    assertThat(found(List.of("sun"), "\u017fun")).hasSize(1); // long s
    assertThat(found(List.of("\uD801\uDC28x"), "a \uD801\uDC00X b")) // Deseret capital and small long i
        .containsExactly("\uD801\uDC28x@2-5:\uD801\uDC00X");
  }

  @Test
  void charsBeyondTheTablesFoldAndBoundByTheSameRules() {
    assertThat(found(List.of("ｈｉ"), "say ＨＩ, not hi")).containsExactly("ｈｉ@4-6:ＨＩ"); // full-width forms
    assertThat(found(List.of("new york"), "new\u3000york")).hasSize(1); // ideographic space
    assertThat(found(List.of("hi"), "\uD801\uDC00hi hi\uD801\uDC00")).isEmpty(); // a Deseret letter is a word char
    assertThat(found(List.of("hi"), "a\uD83D\uDE00hi \uD83D\uDE00hi\uD83D\uDE00"))
        .containsExactly("hi@3-5:hi", "hi@8-10:hi"); // an emoji is not
  }

  @Test
  void whatTheFoldingDoesNotJoin() {
    assertThat(found(List.of("strasse"), "Straße")).isEmpty();
    assertThat(found(List.of("café"), "cafe\u0301")).isEmpty();
    assertThat(found(List.of("new york"), "new-york newyork")).isEmpty();
  }

  @Test
  void aPhraseMatchesAcrossAnyRunOfSpacesAndItsSpanIsTheOriginalText() {
    List<String> terms = List.of("  New   York ");
    assertThat(found(terms, "in new york, in NEW \n\t YORK and new\u00a0york"))
        .containsExactly(
            "  New   York @3-11:new york",
            "  New   York @16-27:NEW \n\t YORK",
            "  New   York @32-40:new\u00a0york");
  }

  @Test
  void overlappingAndNestedTermsAreAllReported() {
    List<String> terms = List.of("new york", "york", "new york city", "york city");
    assertThat(found(terms, "New York City!"))
        .containsExactly(
            "new york@0-8:New York",
            "new york city@0-13:New York City",
            "york@4-8:York",
            "york city@4-13:York City");
    assertThat(found(List.of("a a"), "a a a")).containsExactly("a a@0-3:a a", "a a@2-5:a a");
  }

  @Test
  void sharedSuffixesAreFoundThroughFailureLinks() {
    List<String> terms = List.of("he", "she", "his", "hers", "s he");
    assertThat(found(terms, "ushers his s he she hers"))
        .containsExactly("his@7-10:his", "s he@11-15:s he", "he@13-15:he", "she@16-19:she", "hers@20-24:hers");
  }

  @Test
  void termsWithPunctuationNeedOnlyTheirOuterEdgesToBeWordEdges() {
    assertThat(found(List.of("c++"), "I like C++. c++x")).containsExactly("c++@7-10:C++");
    assertThat(found(List.of("#tag"), "a #tag b#tag")).containsExactly("#tag@2-6:#tag");
  }

  @Test
  void searchReportsInOrderOfEndAndMatchesInOrderOfStart() {
    KeywordAutomaton automaton = KeywordAutomaton.build(List.of("a b c", "b"));
    List<int[]> streamed = new ArrayList<>();
    automaton.search("a b c", (term, start, end) -> streamed.add(new int[] {term, start, end}));
    assertThat(streamed).extracting(m -> m[0]).containsExactly(1, 0);
    assertThat(automaton.matches("a b c")).containsExactly(new Match(0, 0, 5), new Match(1, 2, 3));
  }

  @Test
  void anEmptyTextOrAListWithoutTermsMatchesNothing() {
    assertThat(KeywordAutomaton.build(List.of("x")).matches("")).isEmpty();
    assertThat(KeywordAutomaton.build(List.of()).matches("anything")).isEmpty();
  }

  @Test
  void badTermsAreNamedByIndex() {
    assertThatThrownBy(() -> KeywordAutomaton.build(List.of("ok", " \t ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("term 1 is empty");
    assertThatThrownBy(() -> KeywordAutomaton.build(List.of("Spam", "x", "SPAM")))
        .hasMessage("terms 0 and 2 are the same once case and spaces are folded");
    assertThatThrownBy(() -> KeywordAutomaton.build(List.of("new york", "new  YORK")))
        .hasMessageContaining("terms 0 and 1");
    assertThatThrownBy(() -> KeywordAutomaton.build(List.of("a\uD800")))
        .hasMessageStartingWith("term 0 cannot be matched")
        .hasMessageContaining("lone surrogate");
  }

  @Test
  void theStateCountIsTheTrieOfTheFoldedTerms() {
    KeywordAutomaton automaton = KeywordAutomaton.build(List.of("ab", "AC", "abd"));
    assertThat(automaton.states()).isEqualTo(5); // root, a, ab, ac, abd
    assertThat(automaton.terms()).isEqualTo(3);
  }

  /** Random small lists and texts over a tiny alphabet, where every sort of overlap happens, against a plain scan. */
  @Test
  void agreesWithAPlainScanOnRandomTermsAndTexts() {
    Random random = new Random(20250310);
    String termChars = "aabｂ ";
    String textChars = "aAbBｂＢ \n-é";
    for (int round = 0; round < 3000; round++) {
      Set<String> distinct = new LinkedHashSet<>();
      int wanted = 1 + random.nextInt(8);
      while (distinct.size() < wanted) {
        String term = randomString(random, termChars, 1 + random.nextInt(5)).trim().replaceAll(" +", " ");
        if (!term.isEmpty()) {
          distinct.add(term);
        }
      }
      List<String> terms = List.copyOf(distinct);
      String text = randomString(random, textChars, random.nextInt(30));
      assertThat(KeywordAutomaton.build(terms).matches(text))
          .as("terms %s in %s", terms, text)
          .containsExactlyElementsOf(plainScan(terms, text));
    }
  }

  private static String randomString(Random random, String chars, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(chars.charAt(random.nextInt(chars.length())));
    }
    return out.toString();
  }

  /** Tries every term at every start, lower-casing ASCII and reading a run of spaces or line breaks as one space. */
  private static List<Match> plainScan(List<String> terms, String text) {
    List<Match> matches = new ArrayList<>();
    for (int start = 0; start < text.length(); start++) {
      for (int t = 0; t < terms.size(); t++) {
        int end = matchAt(terms.get(t), text, start);
        boolean edgeBefore = start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1));
        boolean edgeAfter = end == text.length() || (end > 0 && !Character.isLetterOrDigit(text.charAt(end)));
        if (end > 0 && edgeBefore && edgeAfter) {
          matches.add(new Match(t, start, end));
        }
      }
    }
    matches.sort((x, y) -> x.start() != y.start() ? x.start() - y.start() : x.end() - y.end());
    return matches;
  }

  private static int matchAt(String term, String text, int start) {
    int i = start;
    for (int k = 0; k < term.length(); k++) {
      if (i >= text.length()) {
        return -1;
      }
      char want = term.charAt(k);
      if (want == ' ') {
        if (!isSpace(text.charAt(i))) {
          return -1;
        }
        while (i < text.length() && isSpace(text.charAt(i))) {
          i++;
        }
      } else if (Character.toLowerCase(text.charAt(i++)) != want) {
        return -1;
      }
    }
    return i;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n';
  }
}
