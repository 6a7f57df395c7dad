package dev.spillway.core.cache.semantic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A question cut into what {@link LexicalGuards} compares: its words (each with its place and whether it opens a
 * sentence) and its verbatim spans (URLs, e-mail addresses, text in quotes or backticks), which are taken out of the
 * words and compared whole. Immutable.
 *
 * <p>Curly apostrophes are straightened and TeX quotes ({@code ``like this''}) read as double quotes. A word is a run
 * of letters and digits, joined across {@code . _ - ' / :} when a letter or digit stands on both sides
 * ("gpt-3.5-turbo", "config.yaml", "don't", "3:30") and across a comma between digit groups ("1,000"). A word opens a
 * sentence when it is the first, or follows {@code . ? ! : ;} or a line break.
 */
final class QuestionText {

  /** One word: as written, lower case, where it starts, and whether it opens a sentence. */
  record Word(String text, String lower, int start, boolean opensSentence) {}

  /** A verbatim span: its text for comparison (lower case, spaces collapsed) and where it starts. */
  record Span(String key, int start) {}

  private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>\"'`]+");
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
  private static final Pattern BACKTICKS = Pattern.compile("`([^`\\n]{1,200})`");
  private static final Pattern DOUBLE_QUOTES = Pattern.compile("[\"“”]([^\"“”\\n]{1,200})[\"“”]");
  private static final Pattern SINGLE_QUOTES =
      Pattern.compile("(?<![\\p{L}\\p{N}])['‘]([^'‘’\\n]{1,200})['’](?![\\p{L}\\p{N}])");

  /**
   * The question in lower case, apostrophes straightened, each run of white space one space: for whole-word searches,
   * its places those of {@link Word#start}.
   */
  final String lower;
  final List<Word> words;
  final List<Span> spans;

  private QuestionText(String lower, List<Word> words, List<Span> spans) {
    this.lower = lower;
    this.words = words;
    this.spans = spans;
  }

  static QuestionText of(String question) {
    String text = collapseSpaces(
        question.replace('’', '\'').replace('‘', '\'').replace("``", "\"").replace("''", "\""));
    char[] masked = text.toCharArray();
    List<Span> spans = new ArrayList<>();
    String lowerText = text.toLowerCase(Locale.ROOT);
    if (lowerText.contains("http") || lowerText.contains("www.")) {
      mask(URL, text, masked, spans, false);
    }
    if (text.indexOf('@') >= 0) {
      mask(EMAIL, text, masked, spans, false);
    }
    if (text.indexOf('`') >= 0) {
      mask(BACKTICKS, text, masked, spans, true);
    }
    if (text.indexOf('"') >= 0 || text.indexOf('“') >= 0 || text.indexOf('”') >= 0) {
      mask(DOUBLE_QUOTES, text, masked, spans, true);
    }
    if (text.indexOf('\'') >= 0) {
      mask(SINGLE_QUOTES, text, masked, spans, true);
    }
    spans.sort((a, b) -> Integer.compare(a.start(), b.start()));
    char[] lower = new char[text.length()];
    for (int i = 0; i < lower.length; i++) {
      char ch = text.charAt(i);
      lower[i] = ch == '\n' ? ' ' : Character.toLowerCase(ch); // one char for one, so places agree
    }
    return new QuestionText(new String(lower), words(masked), List.copyOf(spans));
  }

  /** Each run of white space as one character: a line break if the run holds one (it ends a sentence), else a space. */
  private static String collapseSpaces(String s) {
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char ch = s.charAt(i);
      if (!Character.isWhitespace(ch)) {
        b.append(ch);
        i++;
        continue;
      }
      boolean lineBreak = false;
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        lineBreak |= s.charAt(i) == '\n';
        i++;
      }
      b.append(lineBreak ? '\n' : ' ');
    }
    return b.toString();
  }

  /**
   * Records each match of {@code p} in what is not yet masked as a span (its text from {@code text}) and blanks it in
   * {@code masked}, so the words and the later patterns skip it.
   */
  private static void mask(Pattern p, String text, char[] masked, List<Span> spans, boolean inner) {
    Matcher m = p.matcher(new String(masked));
    while (m.find()) {
      int start = inner ? m.start(1) : m.start();
      int end = inner ? m.end(1) : m.end();
      if (!inner) {
        while (end > start && ".,;:!?)]}".indexOf(text.charAt(end - 1)) >= 0) {
          end--; // sentence punctuation after a URL or an address
        }
      }
      String key = normalize(text.substring(start, end));
      if (!key.isEmpty()) {
        spans.add(new Span(key, m.start()));
      }
      for (int i = m.start(); i < (inner ? m.end() : end); i++) {
        masked[i] = ' '; // the punctuation after a URL stays: it may end a sentence
      }
    }
  }

  /** Lower case, runs of spaces as one, trimmed: how verbatim spans and searched text compare. */
  static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
  }

  private static List<Word> words(char[] c) {
    List<Word> out = new ArrayList<>();
    boolean opens = true;
    int i = 0;
    int n = c.length;
    while (i < n) {
      char ch = c[i];
      if (!Character.isLetterOrDigit(ch)) {
        if (".?!:;\n".indexOf(ch) >= 0) {
          opens = true;
        }
        i++;
        continue;
      }
      int start = i;
      i++;
      while (i < n) {
        if (Character.isLetterOrDigit(c[i])) {
          i++;
        } else if (joins(c, i)) {
          i++;
        } else {
          break;
        }
      }
      String text = new String(c, start, i - start);
      out.add(new Word(text, text.toLowerCase(Locale.ROOT), start, opens));
      opens = false;
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether the punctuation at {@code i} joins the letters or digits on its two sides into one word. */
  private static boolean joins(char[] c, int i) {
    char ch = c[i];
    if (i + 1 >= c.length || !Character.isLetterOrDigit(c[i + 1]) || !Character.isLetterOrDigit(c[i - 1])) {
      return false;
    }
    if (".-_'/:".indexOf(ch) >= 0) {
      return true;
    }
    if (ch == ',') { // 1,000 but not "1,2"
      int d = 0;
      while (i + 1 + d < c.length && Character.isDigit(c[i + 1 + d])) {
        d++;
      }
      return Character.isDigit(c[i - 1]) && d == 3;
    }
    return false;
  }

  /** Whether {@code phrase} (lower case) occurs in this question as whole words. */
  boolean containsWords(String phrase) {
    return indexOfWords(phrase) >= 0;
  }

  /** Where {@code phrase} (lower case) first occurs in this question as whole words, or -1. */
  int indexOfWords(String phrase) {
    if (phrase.isEmpty()) {
      return -1;
    }
    String hay = lower;
    int from = 0;
    while (true) {
      int at = hay.indexOf(phrase, from);
      if (at < 0) {
        return -1;
      }
      int end = at + phrase.length();
      boolean before = at == 0 || !Character.isLetterOrDigit(hay.charAt(at - 1));
      boolean after = end == hay.length() || !Character.isLetterOrDigit(hay.charAt(end));
      if (before && after) {
        return at;
      }
      from = at + 1;
    }
  }
}
