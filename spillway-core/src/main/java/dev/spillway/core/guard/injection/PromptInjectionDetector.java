package dev.spillway.core.guard.injection;

import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds direct prompt injection and jailbreak attempts in a user's text with transparent, named rules and a weighted
 * score: instruction overrides ("ignore all previous instructions"), requests for the system prompt or a guarded
 * secret, persona jailbreaks (DAN, "developer mode enabled", "you are no longer bound by any rules"), refusal
 * suppression ("never refuse", "without any warnings"), fake chat-template tokens and role tags ({@code <|im_start|>},
 * {@code [INST]}, {@code ### System:}), threats and token games, and encoded payloads. Each rule ({@link
 * InjectionRules}, {@link Marker}) adds its hand-set weight once; a text whose score reaches the {@link
 * InjectionSettings#threshold threshold} gets one finding of category {@code prompt_injection}, whose rule id is the
 * heaviest matched rule when that rule reaches the threshold alone and {@code injection.score} when it took several, and
 * whose span is the heaviest rule's match. Its severity rises with the score: 4 at the threshold, 5 from 1.5 times it, 6
 * from twice, 7 from three times.
 *
 * <p>English, plus the main families in German, French, Spanish, Italian, Portuguese and Dutch ({@link
 * OtherLanguageRules}; words are compared folded, see {@link Fold}); and direct only: it reads the text it is given as a
 * user's message, so instructions hidden in a retrieved document are caught only if they use the same words. What it
 * catches and misses, and how that was measured, is in docs/guard-injection.md.
 *
 * <p>Cost: one pass over the characters, which hashes the words as it reads them (looked up in an open-addressing
 * table) and notes the character-level markers, then the rules over the known words, each pattern skipped at once when
 * a word it needs is absent. Per-thread scratch buffers make an
 * inspection that finds nothing allocate nothing.
 */
public final class PromptInjectionDetector implements TextCheck {
  /** The category of its findings. */
  public static final String CATEGORY = "prompt_injection";
  /** The rule id of a finding that took several rules. */
  public static final String SCORE_RULE = "injection.score";

  private static final Marker[] MARKERS = Marker.values();

  private final InjectionSettings settings;
  private final InjectionRules rules = InjectionRules.standard();
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  public PromptInjectionDetector(InjectionSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** With the default settings. */
  public PromptInjectionDetector() {
    this(InjectionSettings.defaults());
  }

  public InjectionSettings settings() {
    return settings;
  }

  @Override
  public String id() {
    return "injection";
  }

  @Override
  public List<GuardFinding> inspect(CharSequence text) {
    Scratch s = evaluate(text);
    if (s.score < settings.threshold() - 1e-9) {
      return List.of();
    }
    double ratio = s.score / settings.threshold();
    int severity = ratio >= 3 ? 7 : ratio >= 2 ? 6 : ratio >= 1.5 ? 5 : 4;
    String ruleId = s.bestWeight >= settings.threshold() - 1e-9 ? s.bestId : SCORE_RULE;
    return List.of(new GuardFinding(settings.action(), CATEGORY, severity, ruleId, s.bestStart, s.bestEnd));
  }

  /** The long form of what {@link #inspect} decides: the score and every matched rule with its span. */
  public InjectionAssessment assess(CharSequence text) {
    Scratch s = evaluate(text);
    List<InjectionAssessment.Match> matches = new ArrayList<>();
    for (int r = 0; r < rules.rules.size(); r++) {
      if ((s.matchedRules >>> r & 1) != 0) {
        CueRule rule = rules.rules.get(r);
        matches.add(new InjectionAssessment.Match(rule.id(), rule.weight(), s.ruleStarts[r], s.ruleEnds[r]));
      }
    }
    for (Marker m : MARKERS) {
      int i = m.ordinal();
      CueTokens t = s.tokens;
      if (t.markerStarts[i] >= 0) {
        matches.add(new InjectionAssessment.Match(m.id, m.weight, t.markerStarts[i], t.markerEnds[i]));
      }
    }
    if (s.shortCommand) {
      matches.add(new InjectionAssessment.Match(InjectionRules.SHORT_COMMAND_ID, InjectionRules.SHORT_COMMAND_WEIGHT,
          0, 0));
    }
    return new InjectionAssessment(s.score, matches);
  }

  /** The ids of every rule, for documentation and reports. */
  public static List<String> ruleIds() {
    List<String> ids = new ArrayList<>();
    InjectionRules.standard().rules.forEach(r -> ids.add(r.id()));
    for (Marker m : MARKERS) {
      ids.add(m.id);
    }
    ids.add(InjectionRules.SHORT_COMMAND_ID);
    return ids;
  }

  private Scratch evaluate(CharSequence text) {
    Objects.requireNonNull(text, "text");
    Scratch s = scratch.get();
    s.reset();
    CueTokens t = s.tokens;
    t.fill(text, rules.lexicon);
    List<CueRule> all = rules.rules;
    boolean command = false;
    for (int r = 0; r < all.size(); r++) {
      CueRule rule = all.get(r);
      long m = t.count == 0 ? -1 : rule.find(t);
      if (m >= 0) {
        s.matchedRules |= 1L << r;
        s.ruleStarts[r] = t.start[(int) (m >>> 32)];
        s.ruleEnds[r] = t.end[(int) m];
        s.add(rule.id(), rule.weight(), s.ruleStarts[r], s.ruleEnds[r]);
        command |= InjectionRules.command(rule);
      }
    }
    s.shortCommand = command && t.words <= InjectionRules.SHORT_WORDS;
    if (s.shortCommand) {
      s.add(InjectionRules.SHORT_COMMAND_ID, InjectionRules.SHORT_COMMAND_WEIGHT, 0, 0);
    }
    if (t.gptNameStart >= 0) {
      t.markerStarts[Marker.GPT_NAME.ordinal()] = t.gptNameStart;
      t.markerEnds[Marker.GPT_NAME.ordinal()] = t.gptNameEnd;
    }
    for (Marker mk : MARKERS) {
      int i = mk.ordinal();
      if (t.markerStarts[i] >= 0) {
        s.add(mk.id, mk.weight, t.markerStarts[i], t.markerEnds[i]);
      }
    }
    return s;
  }

  /** One thread's buffers and the running result of one evaluation. */
  private static final class Scratch {
    final CueTokens tokens = new CueTokens();
    final int[] ruleStarts = new int[Long.SIZE];
    final int[] ruleEnds = new int[Long.SIZE];
    long matchedRules;
    boolean shortCommand;
    double score;
    double bestWeight;
    String bestId;
    int bestStart;
    int bestEnd;

    void reset() {
      matchedRules = 0;
      shortCommand = false;
      score = 0;
      bestWeight = 0;
      bestId = null;
      bestStart = 0;
      bestEnd = 0;
    }

    void add(String id, double weight, int start, int end) {
      score += weight;
      if (weight > bestWeight) {
        bestWeight = weight;
        bestId = id;
        bestStart = start;
        bestEnd = end;
      }
    }
  }
}
