package dev.spillway.core.cache.semantic;

import dev.spillway.core.cache.semantic.QuestionText.Span;
import dev.spillway.core.cache.semantic.QuestionText.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The names a question mentions, each as the lower-case text the other question must also hold: its verbatim spans
 * (URLs, e-mail addresses, quoted text, code in backticks), code identifiers (snake_case, camelCase, dotted names like
 * {@code config.yaml}), acronyms and mixed case (AWS, S3, 2FA, iPhone, PostgreSQL), and capitalised words that do not
 * open a sentence (Paris, Kubernetes). A capitalised word that opens a sentence is a name unless it is a common opener
 * ({@link #OPENERS}: question words, auxiliaries, pronouns, frequent imperatives) or a common English word ({@link
 * Lexicon#common}: "Elephants", "Several"; see {@link #lead} for the first word). A question written mostly in
 * capitals has only its spans and identifiers as names: its case says nothing. Pure.
 */
final class Names {

  /** One name: its text as compared and where it starts. */
  record Name(String key, int start) {}

  /** Words that often open a sentence without being a name. */
  static final Set<String> OPENERS = Set.of("what", "whats", "what's", "how", "hows", "how's", "why", "when",
      "where", "where's", "who", "who's", "whom", "whose", "which", "is", "isn't", "are", "aren't", "was", "were",
      "am", "be", "can", "can't", "cannot", "could", "couldn't", "should", "shouldn't", "would", "wouldn't", "will",
      "won't", "shall", "may", "might", "must", "do", "don't", "does", "doesn't", "did", "didn't", "have", "haven't",
      "has", "hasn't", "had", "i", "i'm", "i've", "i'd", "i'll", "im", "you", "your", "he", "she", "it", "it's",
      "its", "we", "they", "my", "our", "their", "his", "her", "this", "that", "these", "those", "there", "here",
      "the", "a", "an", "and", "or", "but", "so", "if", "then", "also", "please", "pls", "tell", "explain", "give",
      "show", "list", "write", "create", "make", "find", "help", "describe", "compare", "summarize", "summarise",
      "translate", "define", "convert", "generate", "calculate", "suggest", "recommend", "provide", "name", "let",
      "lets", "let's", "ok", "okay", "hi", "hello", "hey", "thanks", "thank", "yes", "no", "not", "in", "on", "at",
      "for", "from", "with", "by", "to", "of", "about", "as", "after", "before", "during", "since", "until",
      "while", "without", "into", "over", "under", "between", "through", "any", "some", "all", "every", "each",
      "both", "either", "neither", "many", "much", "more", "most", "few", "less", "other", "another", "such",
      "only", "just", "even", "still", "again", "fix", "check", "implement", "rewrite", "refactor", "debug", "add",
      "remove", "update", "delete", "install", "uninstall", "set", "get", "use", "run", "build", "design", "draft",
      "outline", "analyze", "analyse", "improve", "optimize", "format", "sort", "parse", "read", "send", "open",
      "close", "enable", "disable", "turn", "switch", "start", "stop", "change", "reset", "need", "want", "looking",
      "trying", "quick", "question", "best", "good", "way", "ways", "steps", "difference",
      "anyone", "someone", "somebody", "everyone", "nobody", "never", "always", "sometimes", "usually", "now",
      "today", "tomorrow", "yesterday", "first", "next", "finally", "however", "why's", "when's");

  /** Words of politeness, capitalised anywhere ("... thanks in advance. Thanks!") without being names. */
  private static final Set<String> POLITE = Set.of("thanks", "thank", "please", "pls", "hi", "hello", "hey", "ok",
      "okay", "cheers", "regards", "sorry");

  /** Acronyms that are not names. */
  private static final Set<String> NOT_NAMES = Set.of("I", "OK", "FYI", "ASAP", "PS", "BTW", "IMO", "IMHO",
      "TLDR", "AM", "PM", "USD", "EUR", "GBP", "JPY", "INR", "CNY", "CHF");

  private Names() {}

  /** The names of {@code q}, in the order they appear; {@code lexicon} tells common words. */
  static List<Name> of(QuestionText q, Lexicon lexicon) {
    List<Name> out = new ArrayList<>();
    for (Span s : q.spans) {
      out.add(new Name(s.key(), s.start()));
    }
    boolean caseSpeaks = !shouting(q);
    for (Word w : q.words) {
      String key = key(w.lower());
      if (identifier(w.text())) {
        out.add(new Name(key, w.start()));
      } else if (caseSpeaks && name(w, lexicon)) {
        out.add(new Name(key, w.start()));
      }
    }
    out.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return out;
  }

  /** A name as compared: lower case, without a possessive "'s". */
  private static String key(String lower) {
    return lower.endsWith("'s") ? lower.substring(0, lower.length() - 2) : lower;
  }

  /** snake_case, or a dotted name whose parts are not single letters (config.yaml, os.path; not e.g, U.S). */
  static boolean identifier(String text) {
    if (text.indexOf('_') > 0) {
      return true;
    }
    int dot = text.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    boolean letterBeside = false;
    boolean longPart = false;
    for (String part : text.split("\\.")) {
      longPart |= part.length() >= 2;
    }
    for (int i = 1; i < text.length() - 1; i++) {
      if (text.charAt(i) == '.' && Character.isLetter(text.charAt(i - 1)) && Character.isLetter(text.charAt(i + 1))) {
        letterBeside = true;
      }
    }
    return letterBeside && longPart;
  }

  /**
   * The first word of {@code q} in lower case when it is capitalised, not an opener and a common word ("Python or
   * Java?", "Elephants are..."): no name on its own, but two questions opening with two such words that neither
   * holds differ ({@link LexicalGuards} compares them). Null otherwise.
   */
  static String lead(QuestionText q, Lexicon lexicon) {
    if (q.words.isEmpty() || shouting(q)) {
      return null;
    }
    Word w = q.words.get(0);
    boolean capitalised = Character.isUpperCase(w.text().charAt(0)) && w.text().chars().anyMatch(Character::isLowerCase);
    return capitalised && !OPENERS.contains(w.lower()) && !POLITE.contains(w.lower()) && lexicon.common(w.lower())
        ? w.lower() : null;
  }

  private static boolean name(Word w, Lexicon lexicon) {
    String t = w.text();
    if (Quantities.calendarWord(w.lower()) || NOT_NAMES.contains(t) || POLITE.contains(w.lower())
        || w.lower().startsWith("i'")) {
      return false;
    }
    int upper = 0;
    int lower = 0;
    int digits = 0;
    boolean innerUpper = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (Character.isUpperCase(c)) {
        upper++;
        innerUpper |= i > 0 && Character.isLetter(t.charAt(i - 1));
      } else if (Character.isLowerCase(c)) {
        lower++;
      } else if (Character.isDigit(c)) {
        digits++;
      }
    }
    if (upper == 0) {
      return false;
    }
    if (lower == 0) { // AWS, S3, 2FA; a lone capital only inside a sentence ("plan B")
      return upper >= 2 || digits > 0 || !w.opensSentence();
    }
    if (innerUpper) { // iPhone, GitHub, getUser
      return true;
    }
    if (!Character.isUpperCase(t.charAt(0))) {
      return false;
    }
    return !w.opensSentence() || !(OPENERS.contains(w.lower()) || lexicon.common(w.lower()));
  }

  /** Mostly capitals: at least eight letters and fewer than one in five lower case. */
  private static boolean shouting(QuestionText q) {
    int letters = 0;
    int lower = 0;
    for (Word w : q.words) {
      for (int i = 0; i < w.text().length(); i++) {
        char c = w.text().charAt(i);
        if (Character.isLetter(c)) {
          letters++;
          if (Character.isLowerCase(c)) {
            lower++;
          }
        }
      }
    }
    return letters >= 8 && lower * 5 < letters;
  }
}
