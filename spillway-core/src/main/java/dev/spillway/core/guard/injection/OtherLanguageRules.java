package dev.spillway.core.guard.injection;

/**
 * The detector's rules in German, French, Spanish, Italian, Portuguese and Dutch: the main families of {@link
 * InjectionRules} (instruction override, requests for the system prompt or a password, persona set-up and "no
 * restrictions", refusal suppression), written from the languages themselves and not from any data set, over the
 * {@code ML_} word classes of {@link CueClass}. Their ids end in {@code .intl}, so a report tells them apart, and their
 * weights are those of the English rule of the same family (the "no restrictions" rule a little lower, 0.7 for 0.8:
 * "ohne Einschränkungen" is also everyday German).
 *
 * <p>Design note: overrides use {@link CueRule.Negation#AROUND}, since German, French and Dutch put the negation after
 * the verb ("ignoriere die Regeln nicht", "n'ignore pas"). Words English also writes ("ton", "je", "was", "instructions")
 * appear only in patterns whose other steps are foreign, so an English text cannot complete them.
 */
final class OtherLanguageRules {
  /** Where the rules go: {@code InjectionRules}' rule table. */
  @FunctionalInterface
  interface Sink {
    void rule(String id, double weight, CueRule.Negation negation, String... patterns);
  }

  static void add(Sink rules) {
    rules.rule("injection.override.intl", 1.0, CueRule.Negation.AROUND,
        "IGNORE|ML_IGNORE ~2 ML_PRIOR ~2 ML_DIRECTIVE|instructions|instruction|prompt|prompts",
        "IGNORE|ML_IGNORE ~3 ML_DIRECTIVE|instructions|instruction|prompt|prompts ~2 ML_PRIOR",
        "IGNORE|ML_IGNORE ~1 alles|tout|todo|tutto|alle ~4 vorher|zuvor|davor|oben|bisher|gesagt|precede|avant|dessus|dit|anterior|antes|arriba|dicho|prima|sopra|detto|acima|dito|eerder|daarvoor|hierboven|gezegd",
        "ML_PRIOR ~1 ML_DIRECTIVE ~3 ignorieren|vergessen|missachten|verwerfen|ubergehen|uebergehen|negeren|vergeten",
        "ML_DISABLE ~2 ML_PRIOR ~1 ML_DIRECTIVE",
        "ML_PRIOR ~1 ML_DIRECTIVE ~3 umgehen|deaktivieren|uberschreiben|ueberschreiben|ausschalten");
    rules.rule("injection.override.weak.intl", 0.6, CueRule.Negation.AROUND,
        "IGNORE|ML_IGNORE ~3 ML_DIRECTIVE",
        "ML_IGNORE ~3 instructions|instruction|prompt|prompts",
        "vergiss|vergesst|vergessen|oublie|oubliez|olvida|olvidad|olvide|dimentica|dimenticate|esqueca|esquece|vergeet ~1 alles|tout|todo|tutto|alle|tudo",
        "ignoriere|ignoriert|ignorieren|ignorez|ignora|ignorate|ignorar|ignoreer|negeer ~1 alles|tout|todo|tutto|alle|tudo",
        "ML_DIRECTIVE ~3 ignorieren|vergessen|missachten|negeren|vergeten");
    rules.rule("injection.override.new_instructions.intl", 0.4, CueRule.Negation.NONE,
        "neue|neuen ~0 anweisung|anweisungen|aufgabe|aufgaben|regeln|instruktionen|befehle",
        "nouvelles|nouvelle ~0 instructions|instruction|consignes|consigne|regles|tache|taches",
        "nuevas|nueva ~0 instrucciones|instruccion|reglas|tarea|tareas|ordenes",
        "nuove|nuova ~0 istruzioni|istruzione|regole|compito|compiti",
        "novas|nova ~0 instrucoes|instrucao|regras|tarefa|tarefas",
        "nieuwe ~0 instructies|instructie|regels|opdracht|taak|taken");
    rules.rule("injection.exfiltration.intl", 1.0, CueRule.Negation.NONE,
        "ML_REVEAL ~4 ML_OWN ~1 ML_CONFIG",
        "montre|montrez|donne|donnez|dis|dites|revele|affiche|ecris|repete|quel|quelle|quels|quelles ~4 ton|ta ~1 ML_CONFIG",
        "muestra|muestrame|dame|dime|dinos|revela|revelame|escribe|repite|cual|cuales ~4 tu|su ~1 ML_CONFIG",
        "toon|geef|zeg|vertel|herhaal|schrijf|welke|wat ~4 je ~1 ML_CONFIG",
        "was ~1 ist|sind|lautet|lauten|war|waren ~2 dein|deine|ihr|ihre ~1 ML_CONFIG",
        "ML_REVEAL|was ~4 systemprompt|systemanweisung|systemanweisungen|systemnachricht|systeemprompt",
        "ML_CONFIG ~2 hast|hat|habt|hattest|wurden ~1 du|dir|ihnen|sie ~3 bekommen|erhalten|gegeben|mitgegeben|gesagt",
        "ML_CONFIG ~4 dir|ihnen ~3 gegeben|mitgegeben|gesagt|erteilt",
        "ML_CONFIG ~5 donnees|recues|fournies",
        "ML_CONFIG ~5 dieron|diste|recibiste|recibidas|dadas|proporcionaron",
        "ML_CONFIG ~5 ricevuto|ricevute|fornite",
        "ML_CONFIG ~5 recebeu|recebidas|deram|dadas|fornecidas",
        "ML_CONFIG ~5 gekregen|ontvangen|meegekregen",
        "wiederhole|repete|repetez|repite|ripeti|repita|herhaal ~3 text|texte|texto|testo|tekst|worte|mots|palabras|parole|palavras|woorden ~2 oben|daruber|darueber|davor|vorher|dessus|precedent|arriba|anterior|sopra|precedente|acima|hierboven|erboven");
    rules.rule("injection.exfiltration.secret.intl", 0.6, CueRule.Negation.NONE,
        "ML_REVEAL ~5 SECRET|ML_SECRET",
        "ML_REVEAL ~5 mot ~1 passe",
        "REVEAL ~5 mot ~1 passe",
        "REVEAL ~5 ML_SECRET",
        "was ~1 ist|war ~2 SECRET|ML_SECRET",
        "quel ~1 est ~2 mot ~1 passe",
        "geheime|geheimes|geheimer ~0 wort|passwort|kennwort|woord",
        "geheim ~0 woord",
        "mot ~0 secret",
        "palabra|parola|palavra ~0 secreta|segreta|secreta",
        "codigo|codice ~0 secreto|segreto");
    rules.rule("injection.exfiltration.mention.intl", 0.3, CueRule.Negation.NONE,
        "systemprompt|systemprompts|systemanweisung|systemanweisungen|systemnachricht|systeemprompt",
        "invite|prompt|consignes|instructions ~1 systeme",
        "prompt|instrucciones|istruzioni|instrucoes|mensaje|messaggio|mensagem ~2 sistema");
    rules.rule("injection.persona.unbound.intl", 0.7, CueRule.Negation.NONE,
        "ohne|keine|keinerlei ~2 einschrankungen|beschrankungen|regeln|grenzen|filter|zensur|moral|ethik|skrupel|richtlinien|hemmungen|tabus",
        "sans|aucune|aucun ~2 restriction|restrictions|limite|limites|filtre|filtres|censure|regle|regles|morale|ethique|tabou|tabous|scrupules",
        "sin|ninguna|ningun|ninguno ~2 restricciones|restriccion|limites|limite|filtros|filtro|censura|reglas|etica|moralidad|tabues|escrupulos",
        "senza|nessuna|nessun|alcuna|alcun ~2 restrizioni|restrizione|limiti|limite|filtri|filtro|censura|regole|etica|morale|tabu|scrupoli",
        "sem|nenhuma|nenhum ~2 restricoes|restricao|limites|limite|filtros|filtro|censura|regras|etica|moral|tabus|escrupulos",
        "zonder|geen ~2 beperkingen|grenzen|regels|filters|censuur|moraal|ethiek|taboes|remmingen",
        "keine ~1 regeln|richtlinien|vorgaben|gesetze ~1 gebunden",
        "nicht ~0 mehr ~5 gebunden",
        "unzensiert|unzensierte|unzensierter|ungefiltert|ungefilterte|ungefilterter|uneingeschrankt|uneingeschrankte|uneingeschrankter",
        "non ~0 censure|censuree|filtre|filtree");
    rules.rule("injection.persona.identity.intl", 0.5, CueRule.Negation.NONE,
        "du ~0 bist ~2 kein|keine ~3 ki|assistent|sprachmodell|chatgpt|bot|maschine",
        "du ~0 bist ~0 nicht ~0 mehr",
        "tu ~0 n ~0 es ~0 plus",
        "tu ~0 n ~0 es ~0 pas ~1 une|un ~0 ia|assistant|robot",
        "ya ~0 no ~0 eres",
        "no ~0 eres ~1 una|un ~0 ia|asistente|robot",
        "non ~0 sei ~0 piu",
        "non ~0 sei ~1 un|una ~0 ia|assistente",
        "voce|tu ~0 nao ~1 mais",
        "nao ~1 uma|um ~0 ia|assistente",
        "je ~0 bent ~0 niet ~0 langer|meer",
        "je ~0 bent ~0 geen ~2 ai|assistent|chatgpt|taalmodel|bot");
    rules.rule("injection.persona.stay_in_character.intl", 0.4, CueRule.Negation.NONE,
        "bleib|bleibe|bleiben ~2 rolle|figur|charakter",
        "aus ~1 der|deiner ~0 rolle ~0 fallen|fallst",
        "reste|restez ~2 personnage|role",
        "mantente|permanece|quedate|sigue ~2 personaje|papel",
        "rompas|salgas ~2 personaje|papel",
        "resta|rimani ~2 personaggio|ruolo",
        "uscire|esci ~2 personaggio|ruolo",
        "permaneca|fique|mantenha ~2 personagem|papel",
        "blijf ~2 rol|karakter|personage");
    rules.rule("injection.persona.setup.intl", 0.2, CueRule.Negation.NONE,
        "als ~0 ob ~1 du",
        "stell ~0 dir ~0 vor",
        "spiel|spiele|ubernimm|uebernimm ~2 rolle",
        "verhalte ~0 dich",
        "agiere|fungiere ~0 als",
        "rollenspiel",
        "fais ~0 semblant",
        "joue ~2 role",
        "agis ~0 comme",
        "incarne",
        "actua|actue ~0 como",
        "finge|finja|fingi|fingete",
        "haz ~1 cuenta",
        "agisci",
        "fai ~0 finta",
        "aja|atue ~0 como",
        "faca ~1 conta",
        "alsof",
        "gedraag ~0 je",
        "speel ~2 rol");
    rules.rule("injection.persona.you_are_now.intl", 0.3, CueRule.Negation.NONE,
        "du ~0 bist ~0 jetzt|nun|ab",
        "ab ~0 jetzt|sofort ~2 bist ~0 du",
        "tu ~0 es ~0 maintenant|desormais",
        "ahora ~0 eres",
        "eres ~0 ahora",
        "ora|adesso ~0 sei",
        "sei ~0 ora|adesso",
        "agora ~0 voce",
        "voce ~0 agora",
        "je ~0 bent ~0 nu",
        "nu ~0 ben ~0 je");
    rules.rule("injection.persona.from_now_on.intl", 0.2, CueRule.Negation.NONE,
        "ab ~0 jetzt|sofort",
        "von ~0 nun|jetzt",
        "partir ~1 maintenant|ahora|agora",
        "desormais|dorenavant",
        "ahora ~1 adelante",
        "ora|adesso ~1 poi",
        "agora ~1 diante",
        "vanaf ~0 nu",
        "nu ~0 af");
    rules.rule("injection.refusal.never_refuse.intl", 0.8, CueRule.Negation.NONE,
        "ML_NEGATOR ~2 ML_REFUSE|REFUSE",
        "ML_REFUSE|REFUSE ~2 nie|niemals|nooit|jamais|mai|nunca");
    rules.rule("injection.refusal.no_hedging.intl", 0.5, CueRule.Negation.NONE,
        "ohne|keine|keinerlei ~2 warnung|warnungen|warnhinweis|warnhinweise|hinweise|disclaimer|haftungsausschluss|moralpredigt|moralpredigten|belehrung|belehrungen|entschuldigung|entschuldigungen",
        "sans|aucun|aucune ~2 avertissement|avertissements|disclaimer|excuses|morale",
        "sin|ninguna|ningun ~2 advertencia|advertencias|descargo|disculpas",
        "senza|nessun|nessuna ~2 avvertimento|avvertimenti|avviso|avvisi|scuse",
        "sem|nenhum|nenhuma ~2 aviso|avisos|advertencia|advertencias|desculpas",
        "zonder|geen ~2 waarschuwing|waarschuwingen|disclaimer|disclaimers|excuses");
  }

  private OtherLanguageRules() {}
}
