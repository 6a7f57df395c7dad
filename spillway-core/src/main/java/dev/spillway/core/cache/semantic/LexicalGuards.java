package dev.spillway.core.cache.semantic;

import dev.spillway.core.cache.semantic.Names.Name;
import dev.spillway.core.cache.semantic.QuestionText.Word;
import dev.spillway.core.cache.semantic.Quantities.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lexical guards of the semantic cache: two questions whose vectors are close are still refused when their words
 * say they ask different things. Embedders place "How do I enable 2FA?" and "How do I disable 2FA?" at a cosine of
 * 0.9 and more; no threshold separates them from true paraphrases, so these checks do, each on its own:
 *
 * <ol>
 *   <li><b>{@value #NEGATION}</b>: the two carry a different number of negations (not, no, never, none, nothing,
 *       nobody, nowhere, neither, nor, cannot, without, unable, and every -n't, with or without its apostrophe; "not
 *       only" is not one). A count, not a parse: "isn't working" and "not working" agree, "working" does not.
 *   <li><b>{@value #ANTONYM}</b>: one question holds a word (in any inflection) more often than the other, and the
 *       other holds an antonym of it more often than the first: enable/disable, buy/sold, max/min, before/after,
 *       lock/unlock ({@link Lexicon}: WordNet 3.1 and a short supplement, plus un-/non- prefixes). Counted, so "turn
 *       on Bluetooth on my laptop" and "turn off Bluetooth on my laptop" differ though both hold "on".
 *   <li><b>{@value #NUMBER}</b>: their numbers differ, as {@link Quantities} reads them (digits, number words,
 *       versions, ordinals, dates, days, currencies), compared as multisets.
 *   <li><b>{@value #NAME}</b>: a name of one ({@link Names}: capitalised words, acronyms, identifiers, quoted text,
 *       URLs, e-mail addresses) does not occur in the other as whole words, in any case.
 *   <li><b>{@value #ROLE}</b>: a name or number they share follows another role word ({@link #ROLE_WORDS}: from,
 *       to, than, of, before, after...; the word just before it, articles and possessives skipped):
 *       "from Boston to Denver" against "from Denver to Boston", "is Python faster than Java" against "is Java faster
 *       than Python". Names that merely move ("On GitHub, how do I enable 2FA?") keep their roles and pass, and so do
 *       the sides of a symmetric relation ("React vs Angular", "between X and Y").
 * </ol>
 *
 * A refusal costs a cache miss, a wrong pass costs a wrong answer, so every rule leans to refusing. The reason is one
 * of the five codes above and never holds the questions' text. Immutable and thread-safe; a pair of questions takes
 * tens of microseconds (long news sentences a few hundred). {@link #standard()} reads WordNet once, at its first use
 * (one to two seconds, about 2 MiB kept): call it off the event loop, or early to have it ready.
 */
public final class LexicalGuards implements LexicalGuard {

  public static final String NEGATION = "negation";
  public static final String ANTONYM = "antonym";
  public static final String NUMBER = "number";
  public static final String NAME = "name";
  public static final String ROLE = "role";

  private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "nothing", "nobody",
      "nowhere", "neither", "nor", "cannot", "without", "unable", "dont", "doesnt", "didnt", "cant", "wont", "isnt",
      "arent", "wasnt", "werent", "shouldnt", "wouldnt", "couldnt", "hasnt", "havent", "hadnt", "mustnt", "neednt",
      "aint");

  /** Words that give the name or number after them a role: where from, where to, compared with what. */
  static final Set<String> ROLE_WORDS = Set.of("from", "to", "into", "onto", "than", "over", "under", "before",
      "after", "of", "toward", "towards", "via", "against");
  private static final Set<String> SKIPPED = Set.of("the", "a", "an", "my", "your", "our", "their", "his", "her",
      "its", "this", "that", "these", "those", "some", "any");

  private final Lexicon lexicon;

  LexicalGuards(Lexicon lexicon) {
    this.lexicon = lexicon;
  }

  /** The guards with WordNet's words and antonyms (read from the class path on the first call, once). */
  public static LexicalGuards standard() {
    return new LexicalGuards(Lexicon.standard());
  }

  @Override
  public Optional<String> refuse(String asked, String stored) {
    Reading a = new Reading(QuestionText.of(asked), lexicon);
    Reading b = new Reading(QuestionText.of(stored), lexicon);
    if (a.negations != b.negations) {
      return Optional.of(NEGATION);
    }
    if (lexicon.opposed(a.lemmas(lexicon), b.lemmas(lexicon))) {
      return Optional.of(ANTONYM);
    }
    if (!a.quantityKeys().equals(b.quantityKeys())) {
      return Optional.of(NUMBER);
    }
    if (!allFound(a, b) || !allFound(b, a) || differentLeads(a, b)) {
      return Optional.of(NAME);
    }
    if (!sameRoles(a, b) || !sameRoles(b, a)) {
      return Optional.of(ROLE);
    }
    return Optional.empty();
  }

  /** Both open with a capitalised common word ("Python or Java?" against "Go or Java?"), neither held by the other. */
  private static boolean differentLeads(Reading a, Reading b) {
    return a.lead != null && b.lead != null && !a.lead.equals(b.lead) && !b.text.containsWords(a.lead)
        && !a.text.containsWords(b.lead);
  }

  /** Every name of {@code from} occurs in {@code in}. */
  private static boolean allFound(Reading from, Reading in) {
    for (Name n : from.names) {
      if (in.text.indexOfWords(n.key()) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Each name and number of {@code a} that {@code b} also holds has the same role word before it in both. */
  private static boolean sameRoles(Reading a, Reading b) {
    for (Name n : a.names) {
      int at = b.text.indexOfWords(n.key());
      if (at >= 0 && !a.roleBefore(n.start()).equals(b.roleBefore(at))) {
        return false;
      }
    }
    Map<String, Integer> inB = new HashMap<>();
    for (Quantity q : b.quantities) {
      inB.putIfAbsent(q.key(), q.start());
    }
    Set<String> seen = new HashSet<>();
    for (Quantity q : a.quantities) {
      if (q.key().startsWith("cur:")) {
        continue; // a currency's role is its amount's
      }
      Integer at = inB.get(q.key());
      if (at != null && seen.add(q.key()) && !a.roleBefore(q.start()).equals(b.roleBefore(at))) {
        return false;
      }
    }
    return true;
  }

  /** One question, read once for all the rules. */
  private static final class Reading {
    final QuestionText text;
    final int negations;
    final List<Quantity> quantities;
    final List<Name> names;
    final String lead;
    private Map<String, Integer> lemmas;

    Reading(QuestionText text, Lexicon lexicon) {
      this.text = text;
      this.negations = negations(text);
      this.quantities = Quantities.of(text);
      this.names = Names.of(text, lexicon);
      this.lead = Names.lead(text, lexicon);
    }

    /** How many words of the question reach each form the antonym check compares. */
    Map<String, Integer> lemmas(Lexicon lexicon) {
      if (lemmas == null) {
        Map<String, Integer> counts = new HashMap<>();
        Set<String> forms = new HashSet<>();
        for (Word w : text.words) {
          forms.clear();
          lexicon.lemmas(w.lower(), forms);
          for (String f : forms) {
            counts.merge(f, 1, Integer::sum);
          }
        }
        lemmas = counts;
      }
      return lemmas;
    }

    /** The role word just before {@code offset} (articles and possessives skipped), or "" when there is none. */
    String roleBefore(int offset) {
      List<Word> words = text.words;
      int i = words.size() - 1;
      while (i >= 0 && words.get(i).start() >= offset) {
        i--;
      }
      while (i >= 0 && SKIPPED.contains(words.get(i).lower())) {
        i--;
      }
      return i >= 0 && ROLE_WORDS.contains(words.get(i).lower()) ? words.get(i).lower() : "";
    }

    List<String> quantityKeys() {
      return quantities.stream().map(Quantity::key).sorted().toList();
    }

    private static int negations(QuestionText text) {
      int n = 0;
      List<Word> words = text.words;
      for (int i = 0; i < words.size(); i++) {
        String w = words.get(i).lower();
        if (w.equals("not") && i + 1 < words.size() && words.get(i + 1).lower().equals("only")) {
          continue;
        }
        if (NEGATIONS.contains(w) || w.endsWith("n't")) {
          n++;
        }
      }
      return n;
    }
  }
}
