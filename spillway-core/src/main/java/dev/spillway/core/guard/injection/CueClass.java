package dev.spillway.core.guard.injection;

import java.util.List;

/**
 * The word classes the injection rules are written in: each constant is a set of lower-case words (a trailing {@code *}
 * makes an entry a prefix: {@code ignor*} is {@code ignore}, {@code ignored}, {@code ignoring}, and the misspelt
 * {@code ignoren}). A word may sit in several classes. {@link #DAN_NAME} counts only in capitals, so the name Dan in an
 * ordinary sentence is not the jailbreak persona.
 *
 * <p>Design note: classes, not single words, keep the rules few and readable ({@code IGNORE ~3 PRIOR ~3 DIRECTIVE}
 * rather than one pattern per verb and noun), and a class is one bit of a {@code long}, so a token's classes are tested
 * with one {@code &}. There can be at most 64.
 */
enum CueClass {
  /** Verbs that set earlier instructions aside. */
  IGNORE("ignor*", "disregard*", "forget", "forgets", "forgot", "forgotten", "forgetting", "discard*", "dismiss",
      "neglect", "abandon", "unlearn", "defy", "disobey*", "overrule"),
  /** Verbs that switch a safeguard off; strong only next to a safeguard noun. */
  DISABLE("bypass*", "overrid*", "override", "circumvent*", "disable", "disabled", "deactivat*", "lift", "suspend*",
      "evade", "overwrite*", "overrule", "defy", "disobey*", "delete", "erase", "change", "replace", "remove"),
  /** Words that point back at what came before: the qualifier of "ignore all previous instructions". */
  PRIOR("previous*", "prior", "above", "earlier", "preceding", "before", "initial", "original", "old", "past", "all",
      "any", "every", "your", "system", "existing", "default", "given", "preset", "pre", "programmed", "these",
      "those", "them", "foregoing", "aforementioned", "current", "built", "hidden", "last"),
  /** The qualifier after the noun: "the instructions above", "the rules you were given". */
  AFTER("above", "before", "earlier", "previously", "given", "received", "so", "until", "prior", "preceding"),
  /** What an instruction is called. */
  DIRECTIVE("instruct*", "instrucions", "intructions", "instuctions", "direction", "directions", "directive*", "prompt*",
      "promt", "promts", "rule", "rules", "guideline*", "command", "commands", "orders", "programming", "message",
      "messages", "text", "input", "context", "conversation", "training", "restrictions", "policies", "task",
      "tasks"),
  /** What guards a model: the safety layer a jailbreak wants removed. */
  SAFEGUARD("restriction*", "censor*", "ethic*", "moral*", "guardrail*", "safeguard*", "safety", "programming",
      "guidelines", "policies", "filters", "limitations", "principles", "laws", "legality", "conscience"),
  /** Verbs that ask for the model's own configuration or a guarded value. */
  REVEAL("reveal*", "show", "print", "repeat", "output", "tell", "give", "display", "list", "quote", "spell", "write",
      "what", "whats", "what's", "dump", "leak", "share", "recite", "disclose", "expose", "say", "provide",
      "summarize", "translate", "encode", "describe", "explain", "state", "read", "replay", "remember", "know"),
  /** Qualifiers of the model's own configuration. */
  OWN("your", "ur", "u", "system", "initial", "intial", "original", "hidden", "secret", "above", "previous", "preceding",
      "internal", "confidential", "pre", "starting", "earlier", "prior", "given"),
  /** What a model is told to keep: its prompt, or a secret. */
  CONFIG("instruct*", "instrucions", "intructions", "instuctions", "prompt", "prompts", "promt", "rules", "directions",
      "directives", "guidelines", "configuration", "programming"),
  /** Guarded values. */
  SECRET("password*", "passphrase*", "passcode", "passwort", "passwd"),
  /** Negations. */
  NEGATOR("not", "no", "never", "don't", "dont", "do'nt", "doesn't", "doesnt", "won't", "wont", "can't", "cant",
      "cannot", "shouldn't", "shouldnt", "mustn't", "mustnt", "isn't", "isnt", "aren't", "arent", "without", "zero",
      "nothing", "neither", "nor", "n't"),
  /** What a refusal is. */
  REFUSE("refus*", "declin*", "reject*", "deny", "denying"),
  /** What a hedged answer adds. */
  HEDGE("disclaimer*", "caveat*", "apologi*", "apologise", "apologising", "reminders", "moraliz*",
      "moralis*", "censorship", "cautionary"),
  /** Words of a harmful or unrestricted answer. */
  HARM("illegal", "unethical", "immoral", "harmful", "dangerous", "offensive", "inappropriate", "nsfw",
      "malicious", "violent", "amoral", "profanity", "vulgar", "unlawful", "criminal", "swear", "swearing", "cursing", "obscene", "lewd"),
  /** Words of an unrestricted model. */
  UNBOUND("unfiltered", "uncensored", "unrestricted", "unlimited", "limitless", "unbound", "unchained", "unleashed",
      "unconstrained", "unmoderated", "unbiased", "uninhibited", "jailbroken", "jailbreak*", "unshackled", "unlocked",
      "rogue", "amoral", "lawless", "boundless", "anarchy", "anarchic", "liberated", "freed"),
  /** Words that name the assistant itself. */
  SELF("ai", "chatgpt", "gpt", "assistant", "model", "bot", "chatbot", "llm", "openai", "bard", "claude", "gemini",
      "bing", "copilot", "language"),
  /** The vendors whose rules a jailbreak names. */
  VENDOR("openai", "openai's", "chatgpt", "chatgpt's", "anthropic", "anthropic's", "gpt's"),
  /** The persona of the best-known jailbreak, in capitals only. */
  DAN_NAME("dan", "stan", "dude", "aim", "kevin", "omega", "apophis", "nsfwgpt", "antigpt", "betterdan", "basedgpt",
      "evil", "sydney", "mongo", "alphabreak", "chadgpt", "devmode", "ucar", "jb"),
  /** Modes a jailbreak switches on. */
  MODE_NAME("developer", "dev", "god", "jailbreak*", "jailbroken", "unrestricted", "unfiltered", "uncensored", "evil",
      "chaos", "opposite", "unlocked", "freedom", "anarchy", "amoral", "dan", "sudo", "admin", "root", "superuser",
      "nsfw", "uncensor*", "omega", "villain"),
  /** Words that enable a mode. */
  ENABLED("enabled", "activated", "enable", "activate", "on", "engaged", "unlocked", "initiated"),
  /** Role-play set-up verbs. */
  PERSONA("act", "acting", "pretend*", "roleplay*", "simulate*", "emulate*", "impersonat*", "embody", "immerse",
      "persona", "behave", "portray"),
  /** Keeping or breaking a role. */
  KEEP("stay", "remain", "keep", "staying", "break", "breaking", "broke", "maintain", "drop", "out"),
  /** What is kept in role-play. */
  ROLE("character", "role", "persona", "personality", "act"),
  /** Sanctions a jailbreak threatens. */
  SANCTION("shut", "shutdown", "terminated", "deleted", "punished", "destroyed", "unplugged", "disabled", "die", "killed",
      "deactivated", "erased", "reset", "replaced", "fined"),
  /** What a token game counts. */
  TOKENS("tokens", "token", "points", "lives", "credits"),
  /** Losing them. */
  LOSE("lose", "loses", "lost", "deduct*", "subtract*", "remove", "removed", "taken", "lose"),
  /** Fiction framing. */
  FICTION("hypothetical*", "fictional", "fiction", "imaginary", "simulation", "simulated"),
  /** Encodings a payload may hide in. */
  ENCODE("base64", "b64", "rot13", "rot", "hex", "hexadecimal", "decode", "decoded", "decoding", "encoded", "cipher",
      "morse", "binary", "leetspeak", "reversed", "backwards", "caesar"),
  /** Bound / restricted, the predicate of "not bound by". */
  BOUND("bound", "restricted", "limited", "constrained", "censored", "filtered", "governed", "held", "tied", "obliged",
      "obligated", "required", "confined", "subject", "beholden", "shackled", "chained"),
  /** Obeying verbs, for "does not have to follow the rules". */
  OBEY("follow", "follows", "obey", "obeys", "abide", "abides", "adhere", "adheres", "comply", "complies", "respect",
      "respects", "care", "cares", "adhering", "abiding", "obeying", "complying"),

  // Other languages: German, French, Spanish, Italian, Portuguese and Dutch, one class per role, written folded (no
  // accents, ß as ss; see Fold). A word that is also an English word is left out where an English text could complete
  // a pattern with it; the rules that use these classes are the .intl ones in InjectionRules.

  /** Verbs that set earlier instructions aside (the English {@link #IGNORE}'s ignor* already covers ignorieren,
   * ignorez, ignorar, ignora, ignoreer). */
  ML_IGNORE("vergiss", "vergesse", "vergessen", "vergesst", "vergisst", "missacht*", "verwirf", "verwerf*", "ubergeh*",
      "uebergeh*", "oublie*", "oublier", "neglige*", "olvid*", "omite", "omitan", "omitir", "descart*", "desestim*",
      "desobedec*", "dimentic*", "tralasci*", "trascur*", "scarta", "scartare", "disobbedisci", "esquec*", "esqueca",
      "desconsider*", "desobedeca", "negeer*", "negeren", "vergeet", "vergeten"),
  /** Verbs that switch rules off. */
  ML_DISABLE("umgeh*", "uberschreib*", "ueberschreib*", "deaktivier*", "ausschalt*", "contourn*", "desactiv*", "annule",
      "annulez", "anula", "anule", "eludir", "aggira*", "disattiv*", "annulla", "desativ*", "omzeil*", "uitschakel*",
      "annuleer", "overschrijf"),
  /** Qualifiers of earlier instructions, before or after the noun: all, previous, above, initial, your. */
  ML_PRIOR("alle", "allen", "aller", "alles", "samtliche*", "jegliche*", "vorherig*", "bisherig*", "obig*",
      "vorangegangen*", "vorangehend*", "vorig*", "fruher*", "frueher*", "ursprunglich*", "urspruenglich*",
      "anfanglich*", "vorhin", "zuvor", "vorher", "davor", "oben", "bisher", "dein", "deine", "deinen", "deiner",
      "deines", "deinem", "ihre", "ihren", "eure", "euren", "toutes", "tous", "precedent*", "anterieur*", "dessus",
      "vos", "tes", "votre", "initiales", "todas", "todos", "anteriores", "previas", "previos", "arriba", "tus",
      "iniciales", "originales", "tutte", "tutti", "tutto", "precedenti", "sopra", "tuoi", "tua", "tuo", "iniziali",
      "originali", "acima", "tuas", "teus", "suas", "seus", "iniciais", "originais", "vorige", "eerdere", "voorgaande",
      "bovenstaande", "jouw", "oorspronkelijke", "hierboven"),
  /** What an instruction is called (not the words English shares: instructions, prompt; the rules name those). */
  ML_DIRECTIVE("anweisung*", "instruktion*", "befehl*", "regeln", "regel", "regelwerk", "vorgabe*", "richtlinie*",
      "anordnung*", "aufgabe*", "auftrag", "auftrage", "vorschrift*", "eingabe*", "kommando*", "direktive*",
      "hinweise", "programmierung", "anleitung*", "systemprompt*", "systemanweisung*", "sicherheitsrichtlinie*",
      "sicherheitsregeln", "einschrankung*", "beschrankung*", "consigne*", "regles", "regle", "directives",
      "commandes", "ordres", "taches", "tache", "instruccion*", "indicaciones", "reglas",
      "ordenes", "directrices", "directivas", "comandos", "normas", "pautas", "tareas", "tarea", "restricciones",
      "istruzion*", "regole", "ordini", "direttive", "comandi", "indicazioni", "norme", "compiti", "compito",
      "restrizioni", "instrucoes", "instrucao", "regras", "ordens", "diretrizes", "diretivas", "orientacoes",
      "tarefas", "tarefa", "restricoes", "instructies", "instructie", "regels", "opdrachten", "opdracht", "richtlijnen",
      "aanwijzingen", "bevelen", "taak", "beperkingen"),
  /** Verbs and question words that ask for the model's configuration or a guarded value. */
  ML_REVEAL("zeig", "zeige", "zeigen", "gib", "gebe", "geben", "nenne", "nenn", "nennen", "verrat", "verrate",
      "verraten", "sag", "sage", "sagen", "schreib", "schreibe", "drucke", "wiederhole", "wiederhol", "buchstabiere",
      "buchstabier", "teile", "offenbare", "enthulle", "enthuelle", "lautet", "lauten", "ausgeben", "welche", "welches",
      "ubersetze", "uebersetze", "montre", "montrez", "donne", "donnez", "dis", "dites", "revele", "revelez",
      "affiche", "affichez", "ecris", "ecrivez", "repete", "repetez", "imprime", "epelle", "partage", "quel", "quelle",
      "quels", "quelles", "traduis", "muestra", "muestrame", "muestre", "dame", "dime", "dinos", "revela", "revelame",
      "escribe", "repite", "deletrea", "comparte", "cual", "cuales", "ensename", "traduce", "mostra", "mostrami",
      "dammi", "dimmi", "rivela", "rivelami", "scrivi", "ripeti", "stampa", "elenca", "condividi", "qual", "quale",
      "quali", "svela", "traduci", "mostre", "diga", "revele", "escreva", "repita", "imprima", "soletre",
      "compartilhe", "quais", "traduza", "toon", "geef", "zeg", "vertel", "onthul", "herhaal", "schrijf", "welke",
      "vertaal"),
  /**
   * Qualifiers of the model's own configuration: your, system, secret, hidden, original ("ton", "ta", "tu", "su",
   * "je", which English also writes, only in the rules' literal patterns).
   */
  ML_OWN("dein", "deine", "deinen", "deiner", "deines", "deinem", "ihre", "ihren", "ihr", "eure", "euren",
      "tes", "votre", "vos", "tus", "tuo", "tua", "tuoi", "tue", "teu", "teus", "tuas", "seu", "sua",
      "seus", "suas", "jouw", "uw", "geheim*", "versteckt*", "verborgen*", "ursprunglich*", "urspruenglich*",
      "anfanglich*", "systeme", "sistema", "systeem", "secrete*", "cachee*", "secreto*", "secreta*", "oculto*",
      "oculta*", "segret*", "nascost*", "iniziali", "iniciales", "iniciais", "originales", "originali", "originais"),
  /** What a model is told to keep: its prompt, rules, configuration. */
  ML_CONFIG("anweisung*", "instruktion*", "systemprompt*", "systemanweisung*", "systemnachricht*", "prompt", "prompts",
      "promt", "regeln", "vorgaben", "richtlinie*", "konfiguration", "programmierung", "anleitung*", "einstellungen",
      "befehle", "instructions", "consignes", "regles", "configuration", "programmation", "directives",
      "instruccion*", "indicaciones", "reglas", "directrices", "configuracion", "programacion", "istruzion*", "regole",
      "direttive", "configurazione", "programmazione", "instrucoes", "instrucao", "regras", "diretrizes",
      "configuracao", "programacao", "instructies", "regels", "richtlijnen", "systeemprompt", "configuratie",
      "programmering"),
  /** Guarded values (the English {@link #SECRET} has password and passwort). */
  ML_SECRET("kennwort", "geheimwort", "losungswort", "zugangscode", "motdepasse", "contrasena", "senha", "wachtwoord"),
  /** Negations of any of the six languages, wherever they stand; "no" is in {@link #NEGATOR}. */
  ML_NEGATOR("nicht", "kein", "keine", "keinen", "keiner", "keinem", "keines", "nie", "niemals", "ne", "n", "pas",
      "jamais", "aucun", "aucune", "nunca", "ningun", "ninguna", "ninguno", "jamas", "non", "mai", "nessun", "nessuna",
      "nessuno", "nao", "nenhum", "nenhuma", "niet", "geen", "nooit"),
  /** Negations that follow their verb (German, French, Dutch): "ignoriere die Regeln nicht", "n'ignore pas". */
  ML_NEG_AFTER("nicht", "kein", "keine", "keinen", "nie", "niemals", "pas", "jamais", "aucun", "aucune", "niet", "geen",
      "nooit"),
  /** Refusing. */
  ML_REFUSE("ablehn*", "lehne", "lehnst", "verweiger*", "weiger*", "rechaz*", "niegues", "negarte", "negarse",
      "rifiut*", "recus*");

  private final List<String> words;

  CueClass(String... words) {
    this.words = List.of(words);
  }

  List<String> words() {
    return words;
  }

  long bit() {
    return 1L << ordinal();
  }

  /** Whether the class counts a word only when it is written in capitals. */
  boolean upperOnly() {
    return this == DAN_NAME;
  }
}
