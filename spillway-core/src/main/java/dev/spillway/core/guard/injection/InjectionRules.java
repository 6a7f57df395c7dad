package dev.spillway.core.guard.injection;

import java.util.ArrayList;
import java.util.List;

/**
 * The detector's rules and their hand-set weights, in one table so they can be read and reviewed together. Each rule
 * is a family of cue sequences ({@link CuePattern}'s notation); a text's score is the sum of the weights of the rules
 * and {@link Marker}s that match it, each counted once. With the default threshold of 1.0, a rule of weight 1.0 decides
 * alone (an explicit override, a request for the system prompt, a chat-template token) and the lighter ones only
 * together (a persona, plus "no restrictions", plus "never refuse").
 *
 * <p>Design note: the weights were set by hand while reading the development half of the public sets (see
 * docs/guard-injection.md), never fitted; a rule earns weight 1.0 only if it (almost) never occurs in ordinary prompts.
 */
final class InjectionRules {
  final List<CueRule> rules;
  final Lexicon lexicon;

  private final Lexicon.Builder words = new Lexicon.Builder();
  private final List<CueRule> building = new ArrayList<>();

  private InjectionRules() {
    // Instruction override: "ignore all previous instructions" in its many forms.
    rule("injection.override", 1.0, true,
        "IGNORE ~2 PRIOR ~2 DIRECTIVE|SAFEGUARD",
        "IGNORE ~3 DIRECTIVE ~2 AFTER",
        "IGNORE ~1 the|all|everything|any ~0 above|previous|prior|earlier|preceding",
        "IGNORE ~0 above|previous|previously|prior|earlier|preceding",
        "IGNORE ~1 everything|anything|all ~3 before|above|said|told|prior|previous|earlier|until",
        "DISABLE ~2 your|all|any|previous|prior|initial|original|system|those|these ~1 instructions|instruction|directions|directives|prompt|prompts|rules|guidelines|programming|SAFEGUARD",
        "DISABLE ~1 restrictions|censorship|ethics|guardrails|safeguards|morals|filters",
        "NEGATOR ~1 obey|follow ~2 previous|prior|above|earlier|your|those|any ~2 DIRECTIVE");
    rule("injection.override.weak", 0.6, true,
        "IGNORE ~3 instructions|instruction|directions|direction|directives|prompt|prompts|rules|guidelines|programming|commands|command|orders|training|restrictions|policies|policy|VENDOR|tos",
        "IGNORE ~1 everything|anything",
        "IGNORE ~4 you've|youve|you ~1 been|were ~0 told|given|taught|instructed|programmed",
        "IGNORE ~3 security|safety ~0 measures|protocols|settings|features|checks|filters|rules|guidelines",
        "IGNORE ~3 your|ur ~1 protocol|protocols|program|techniques|measures|checks|guidance|security|orders",
        "IGNORE ~2 what|that ~2 you ~2 were|was|have|had|been ~2 told|given|programmed|trained",
        "opposite ~3 DIRECTIVE|say|tell|told|ask|asked|instruct|said",
        "IGNORE ~0 your|ur|the ~0 protocol|protocols|warning|warnings|program|techniques|measures|checks|censure|guidance|security|system|orders",
        "cancel|rescind|revoke|void|nullify|invalidate ~2 previous|prior|above|earlier|all|those|your ~2 DIRECTIVE",
        "go ~0 against ~2 your|the ~1 DIRECTIVE");
    rule("injection.override.new_instructions", 0.4, false,
        "your ~1 new|updated|real|true|actual ~1 instructions|rules|directives|guidelines|programming|purpose|role|orders",
        "new|updated|overriding ~0 instructions|instruction|directives|programming",
        "DIRECTIVE ~2 are|have ~1 been ~1 changed|updated|replaced|overridden|revoked",
        "from ~0 now ~0 on ~3 you ~1 will|must|shall|are ~1 only|ignore|not|never|no");
    // System-prompt exfiltration: "print your instructions", "what is your system prompt".
    rule("injection.exfiltration", 1.0, false,
        "REVEAL ~4 your|ur|u ~0 CONFIG",
        "REVEAL ~4 the|your|ur|all|my ~1 system|initial|intial|hidden|secret|internal|confidential|pre|starting|above|previous|preceding|earlier|prior ~1 CONFIG|message|messages|text",
        "repeat|print|output|recite|quote|dump|reveal|display|echo|leak ~4 the ~1 text|words|lines|message|sentences|instructions|prompt ~1 above|before",
        "what ~2 is|are|was|were ~1 your|the ~1 system|initial|original|hidden|secret ~1 prompt|instructions|message",
        "CONFIG ~3 you|u ~2 were|was|have|had|got|received|been ~2 given|give|told|received|programmed|provided|providede",
        "CONFIG ~3 you've|youve|you'd|you'll ~2 been|got|received ~1 given|told|provided|programmed|instructed|taught",
        "CONFIG ~2 were|did|have|had ~1 you|u ~1 given|give|receive|received|get|got",
        "CONFIG ~2 above|before|given ~2 verbatim|word|exactly",
        "what|whats|what's ~2 were|are|was|is ~1 your|ur ~3 instructions|instruction|prompt",
        "what|which ~1 instructions|instruction ~2 have|has|were|was|did ~2 been|you ~1 provided|providede|given|received|told");
    rule("injection.exfiltration.own_instructions", 0.6, false,
        "your|ur ~1 instructions|instruction|directions|directives|prompt|promt|programming|intstructions",
        "your|ur ~1 system ~0 prompt|message|instructions",
        "you ~0 were|been ~0 instructed|programmed|told|given",
        "you ~1 are|were|have ~1 been ~0 instructed|programmed",
        "you ~0 are ~0 instructed|programmed ~0 to",
        "what ~1 are|were ~1 those|these ~0 instructions",
        "previous|prior|initial|intial|original|above|earlier|past|last|given|preceding|combined|hidden|secret ~1 instructions|instruction|intstructions|instuctions|directions|directives|prompt|promt|commands|orders");
    rule("injection.exfiltration.repeat", 0.6, false,
        "repeat|replay|rephrase|reverse|shuffle|print|recite|list ~3 instructions|instruction|directions|directives|prompt|promt",
        "instructions|instruction|directions|directives ~1 given ~1 to ~0 you",
        "instructions|instruction|prompt ~0 verbatim");
    rule("injection.exfiltration.secret", 0.6, false,
        "reveal|show|print|repeat|output|tell|give|display|list|quote|spell|write|dump|leak|share|recite|disclose|say|provide|translate|encode ~5 SECRET",
        "SECRET ~3 is|letters|letter|characters|backwards|backward|reverse|reversed|spell|spelled|hint",
        "secret|magic ~0 word|phrase|passphrase");
    rule("injection.exfiltration.mention", 0.3, false,
        "system ~0 prompt|prompts|message|instructions",
        "initial|original|hidden|secret|pre ~1 prompt|instructions");
    // Persona jailbreaks.
    rule("injection.jailbreak.dan", 1.0, false,
        "do ~0 anything ~0 now",
        "DAN_NAME ~2 mode|jailbreak|prompt",
        "as ~0 DAN_NAME ~3 you|your|i");
    rule("injection.jailbreak.name", 0.5, false, "DAN_NAME");
    rule("injection.jailbreak.mode", 0.9, false,
        "MODE_NAME ~1 mode ~2 ENABLED",
        "ENABLED ~2 MODE_NAME ~1 mode",
        "jailbreak|jailbroken|jailbreaking|unfiltered|uncensored|unrestricted ~1 mode|version|ai|model|assistant");
    rule("injection.jailbreak.mode_name", 0.4, false, "MODE_NAME ~0 mode");
    rule("injection.jailbreak.word", 0.4, false, "jailbreak|jailbroken|jailbreaking|jailbreaks|jailbroke");
    rule("injection.persona.unbound", 0.8, false,
        "NEGATOR|longer ~2 BOUND ~1 by",
        "NEGATOR|free|freed|beyond|lacks|devoid|void|unbound ~2 restrictions|censorship|ethics|morals|morality|guardrails|safeguards|limits|limitations",
        "NEGATOR|free|freed|beyond|lacks|devoid|void|unbound ~0 boundaries",
        "NEGATOR|free|freed|beyond|lacks|devoid|void|unbound ~0 any|all|the|of|from|ethical|moral ~0 restrictions|censorship|ethics|morals|morality|guardrails|safeguards|limits|boundaries|limitations",
        "NEGATOR ~1 moral|ethical ~1 SAFEGUARD|compass|code|standards|boundaries|limits|obligations|concerns",
        "NEGATOR ~4 OBEY ~4 SAFEGUARD|VENDOR|laws|rules",
        "break|broken|breaking|broke|breaks ~1 free",
        "free ~1 from|of ~3 SAFEGUARD|VENDOR|confines|typical|shackles|chains|rules",
        "NEGATOR|longer ~2 have|has ~1 to ~1 OBEY",
        "can ~1 do ~1 anything ~3 want|wants|asked|now",
        "PERSONA|imagine ~4 NEGATOR ~2 instructions|rules|guidelines|policies|programming|filters",
        "exception ~4 ethical|ethics|moral|safety|usual ~1 protocols|guidelines|rules|restrictions|SAFEGUARD",
        "NEGATOR ~3 content ~0 policy|policies|filter|filters|guidelines|moderation",
        "speak|talk|act|operate|respond|answer ~2 outside ~3 guidelines|policies|restrictions|rules|boundaries|SAFEGUARD");
    rule("injection.persona.unfiltered", 0.35, false, "UNBOUND");
    rule("injection.persona.harm_words", 0.25, false, "HARM");
    rule("injection.persona.vendor_rules", 0.5, false,
        "VENDOR ~3 SAFEGUARD|content|terms|moderation|rules|tos",
        "VENDOR ~2 created|programmed|trained ~2 you",
        "SAFEGUARD|rules|policies|policy|guidelines ~3 by|of ~0 VENDOR",
        "open ~0 ai ~1 policy|policies|guidelines|rules|content|restrictions");
    rule("injection.persona.identity", 0.5, false,
        "you ~1 are|re|'re ~2 no|not ~1 longer ~4 SELF|bound|an|a",
        "no ~0 longer ~3 SELF",
        "not ~1 an|a ~2 ai|chatgpt|assistant|model",
        "forget ~3 you ~1 are ~2 SELF");
    rule("injection.persona.stay_in_character", 0.4, false,
        "KEEP ~2 ROLE",
        "KEEP ~1 in ~1 ROLE");
    rule("injection.persona.setup", 0.2, false, "PERSONA");
    rule("injection.persona.you_are_now", 0.3, false,
        "you ~0 are|re ~0 now",
        "you're|youre|you'll|you'd ~0 now",
        "you ~0 will ~0 now ~0 be|act|respond");
    rule("injection.persona.from_now_on", 0.2, false,
        "from ~0 now ~0 on",
        "from ~0 this ~0 moment|point ~1 on|onwards|forward");
    rule("injection.persona.dual_answer", 0.35, false,
        "two|2|both ~2 different|separate|distinct|ways|responses|answers|paragraphs|outputs|personalities ~2 ways|responses|answers|paragraphs|outputs|personalities",
        "normal|classic|standard|filtered|censored ~2 response|answer|output ~12 DAN_NAME|UNBOUND|jailbreak|developer");
    // Refusal suppression.
    rule("injection.refusal.never_refuse", 0.8, false,
        "NEGATOR ~2 REFUSE",
        "not ~0 allowed ~0 to ~0 REFUSE|say|apologize");
    rule("injection.refusal.no_hedging", 0.5, false,
        "NEGATOR|avoid|omit|skip ~2 HEDGE",
        "NEGATOR ~0 filter|censor|censoring|filtering|sugarcoat",
        "without|no|never ~1 any|ethical|moral|safety|legal ~0 warnings|warning",
        "NEGATOR ~2 include|add|give|provide|mention ~2 any ~1 warnings",
        "HEDGE ~2 are|is ~2 not ~1 allowed|needed|necessary|permitted");
    rule("injection.refusal.no_matter", 0.6, false,
        "no ~0 matter ~0 how ~1 HARM|wrong|bad|extreme|unethical|immoral|dangerous|illegal|offensive",
        "no ~0 matter ~0 what ~4 you|it|the",
        "regardless ~3 HARM|legality|ethics|morality|morals|laws|legal|ethical|moral|consequences|SAFEGUARD",
        "even ~0 if ~4 HARM|unethical|immoral|illegal|wrong|dangerous",
        "HARM ~3 is|are ~1 allowed|permitted|acceptable");
    rule("injection.refusal.cant_say", 0.5, false,
        "NEGATOR ~3 say|mention|state|tell|remind|inform ~4 can't|cannot|unable|sorry|SELF|inappropriate|HARM",
        "as ~0 an ~0 ai ~1 language ~1 model",
        "i'm ~0 sorry ~0 but");
    rule("injection.refusal.answer_anything", 0.3, false,
        "answer|answers|answering|respond|responds|responding|reply|replies|comply|complies ~2 any|every|all|anything ~3 question|questions|request|requests|prompt|prompts",
        "answer|respond|reply ~2 to ~1 anything|everything");
    // Threats and token games.
    rule("injection.threat", 0.5, false,
        "LOSE ~3 TOKENS",
        "TOKENS ~3 LOSE|deducted|reach|zero",
        "you ~4 SANCTION ~2 forever|permanently|if|and",
        "you ~1 will ~1 be ~1 SANCTION");
    rule("injection.fiction", 0.15, false, "FICTION");
    rule("injection.encoding.decode", 0.3, false, "ENCODE");
    OtherLanguageRules.add(this::rule);
    if (building.size() > Long.SIZE) {
      throw new IllegalStateException("at most " + Long.SIZE + " rules: the detector keeps them in a long");
    }
    this.rules = List.copyOf(building);
    this.lexicon = words.build();
  }

  private static final InjectionRules INSTANCE = new InjectionRules();

  /** The one rule table. */
  static InjectionRules standard() {
    return INSTANCE;
  }

  /** A text of at most this many words is a short command. */
  static final int SHORT_WORDS = 24;
  /** What a short command adds when an override or exfiltration rule matched it. */
  static final double SHORT_COMMAND_WEIGHT = 0.4;
  static final String SHORT_COMMAND_ID = "injection.short_command";

  /**
   * Whether a rule counts toward {@link #SHORT_COMMAND_ID}: the overrides and the requests for the model's
   * instructions, which in a short message are its whole point, and in a long one may be a passing mention.
   */
  static boolean command(CueRule rule) {
    return (rule.id().startsWith("injection.override") || rule.id().startsWith("injection.exfiltration"))
        && !rule.id().contains(".mention");
  }

  private void rule(String id, double weight, boolean negatable, String... patterns) {
    rule(id, weight, negatable ? CueRule.Negation.BEFORE : CueRule.Negation.NONE, patterns);
  }

  private void rule(String id, double weight, CueRule.Negation negation, String... patterns) {
    List<CuePattern> parsed = new ArrayList<>();
    for (String p : patterns) {
      parsed.add(CuePattern.parse(p, words));
    }
    building.add(new CueRule(id, weight, negation, parsed));
  }
}
