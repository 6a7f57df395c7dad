package dev.spillway.core.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.cache.semantic.QuestionPairs.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LexicalGuardsTest {
  private static final LexicalGuards GUARDS = LexicalGuards.standard();

  private static Optional<String> refuse(String a, String b) {
    return GUARDS.refuse(a, b);
  }

  private static void refused(String reason, String a, String b) {
    assertThat(refuse(a, b)).as("%s | %s", a, b).contains(reason);
    assertThat(refuse(b, a)).as("%s | %s (swapped)", b, a).contains(reason);
  }

  private static void allowed(String a, String b) {
    assertThat(refuse(a, b)).as("%s | %s", a, b).isEmpty();
    assertThat(refuse(b, a)).as("%s | %s (swapped)", b, a).isEmpty();
  }

  @Test
  void refusesAnotherCountOfNegations() {
    refused(LexicalGuards.NEGATION, "Why is my laptop charging?", "Why is my laptop not charging?");
    refused(LexicalGuards.NEGATION, "Why does my app work on Android?", "Why doesn't my app work on Android?");
    refused(LexicalGuards.NEGATION, "Why does my app work on Android?", "Why doesnt my app work on Android?");
    refused(LexicalGuards.NEGATION, "Can I use Excel with an account?", "Can I use Excel without an account?");
    refused(LexicalGuards.NEGATION, "Do I get email alerts?", "Do I never get email alerts?");
    refused(LexicalGuards.NEGATION, "Is coding required?", "Is no coding required?");
  }

  @Test
  void allowsTheSameNegationWrittenAnotherWay() {
    allowed("Why isn't my printer working?", "Why is my printer not working?");
    allowed("I can't log in to my bank", "I cannot log in to my bank");
    allowed("Why can’t I log in?", "Why am I unable to log in?");
    allowed("Is it not only fast but also cheap?", "Is it fast and cheap?");
  }

  @Test
  void refusesAnAntonymInAnyInflection() {
    refused(LexicalGuards.ANTONYM, "How do I enable 2FA on my account?", "How do I disable 2FA on my account?");
    refused(LexicalGuards.ANTONYM, "Why is dark mode enabled?", "Why is dark mode disabled?");
    refused(LexicalGuards.ANTONYM, "Keeps disabling itself, why?", "Keeps enabling itself, why?");
    refused(LexicalGuards.ANTONYM, "Who bought the company?", "Who sold the company?");
    refused(LexicalGuards.ANTONYM, "What is the highest mountain in Europe?", "What is the lowest mountain in Europe?");
    refused(LexicalGuards.ANTONYM, "What is the earliest check-in time?", "What is the latest check-in time?");
    refused(LexicalGuards.ANTONYM, "Is coffee better than tea for focus?", "Is coffee worse than tea for focus?");
    refused(LexicalGuards.ANTONYM, "Should I stretch before a run?", "Should I stretch after a run?");
    refused(LexicalGuards.ANTONYM, "What is the max batch size?", "What is the min batch size?");
    refused(LexicalGuards.ANTONYM, "How do I sign in to Netflix?", "How do I sign out of Netflix?");
  }

  @Test
  void refusesANegatingPrefix() {
    refused(LexicalGuards.ANTONYM, "How do I tie a knot?", "How do I untie a knot?");
    refused(LexicalGuards.ANTONYM, "Is the ticket refundable?", "Is the ticket nonrefundable?");
    refused(LexicalGuards.ANTONYM, "How do I pin a chat?", "How do I unpin a chat?");
  }

  @Test
  void countsAntonymsSoAWordInBothStillDiffers() {
    refused(LexicalGuards.ANTONYM, "How do I turn on Bluetooth on my laptop?", "How do I turn off Bluetooth on my laptop?");
    allowed("Should I enable or disable autoplay?", "Should I disable or enable autoplay?");
    allowed("Which is quicker, the slow lane or the fast one?", "Quick question: which is quicker, the slow lane or the fast one?");
  }

  @Test
  void allowsSynonymsThatAreNotOpposites() {
    allowed("How do I turn on dark mode?", "How can I switch on dark mode?");
    allowed("What's the quickest way to learn Spanish?", "What is the fastest way to learn Spanish?");
    allowed("How do I remove a user from a group?", "How can I delete a user from a group?");
  }

  @Test
  void refusesOtherNumbers() {
    refused(LexicalGuards.NUMBER, "How do I upgrade to Python 3.11?", "How do I upgrade to Python 3.12?");
    refused(LexicalGuards.NUMBER, "Is Python 3.10 still supported?", "Is Python 3.1 still supported?");
    refused(LexicalGuards.NUMBER, "Book a table for two", "Book a table for four");
    refused(LexicalGuards.NUMBER, "What is 15% of 200?", "What is 15% of 300?");
    refused(LexicalGuards.NUMBER, "Is GPT-4 better than GPT-3.5?", "Is GPT-4 better than GPT-4o?");
    refused(LexicalGuards.NUMBER, "What happened on July 4, 1776?", "What happened on July 4, 1976?");
    refused(LexicalGuards.NUMBER, "How much is $50 in yen?", "How much is €50 in yen?");
    refused(LexicalGuards.NUMBER, "What is the third law of thermodynamics?", "What is the 4th law of thermodynamics?");
    refused(LexicalGuards.NUMBER, "What's the forecast for Monday?", "What's the forecast for Tuesday?");
    refused(LexicalGuards.NUMBER, "Is it open today?", "Is it open tomorrow?");
    refused(LexicalGuards.NUMBER, "Give me a 5-day meal plan", "Give me a 7-day meal plan");
    refused(LexicalGuards.NUMBER, "How do I enable 2FA?", "How do I enable 3FA?");
  }

  @Test
  void allowsTheSameNumberWrittenAnotherWay() {
    allowed("Book a table for two people", "Book a table for 2 people");
    allowed("Is 1,000 steps a day enough?", "Is 1000 steps a day enough?");
    allowed("What is twenty-five times four?", "What is 25 times 4?");
    allowed("Is a hundred dollars enough?", "Is $100 enough?");
    allowed("What happened on December 5, 2026?", "What happened on 5 December 2026?");
    allowed("What happened on December 5, 2026?", "What happened on 2026-12-05?");
    allowed("What is the 3rd planet from the sun?", "Which is the third planet from the sun?");
    allowed("Which one is better for beginners?", "Which is better for beginners?");
    allowed("May I ask about your refund policy?", "Can I ask about your refund policy?");
  }

  @Test
  void refusesOtherNames() {
    refused(LexicalGuards.NAME, "How do I deploy a container on AWS?", "How do I deploy a container on GCP?");
    refused(LexicalGuards.NAME, "What's the weather in Paris this weekend?", "What's the weather in London this weekend?");
    refused(LexicalGuards.NAME, "Paris or Rome for a honeymoon?", "Berlin or Rome for a honeymoon?");
    refused(LexicalGuards.NAME, "What does `git rebase` do?", "What does `git merge` do?");
    refused(LexicalGuards.NAME, "Translate 'good morning' into French", "Translate 'good night' into French");
    refused(LexicalGuards.NAME, "Email alice@example.com the report", "Email bob@example.com the report");
    refused(LexicalGuards.NAME, "Summarize https://example.com/a please", "Summarize https://example.com/b please");
    refused(LexicalGuards.NAME, "What does get_user return?", "What does get_users return?");
    refused(LexicalGuards.NAME, "What does getUser return?", "What does fetchUser return?");
    refused(LexicalGuards.NAME, "How do I parse config.yaml?", "How do I parse settings.yaml?");
    refused(LexicalGuards.NAME, "Is the iPhone waterproof?", "Is the Pixel waterproof?");
    refused(LexicalGuards.NAME, "Is plan A cheaper?", "Is plan B cheaper?");
    refused(LexicalGuards.NAME, "Kubernetes or Nomad for a small team?", "Nomad or Swarm for a small team?");
    refused(LexicalGuards.NAME, "Python or Java for a backend?", "Go or Java for a backend?");
  }

  @Test
  void aCommonWordOpeningASentenceIsNoName() {
    allowed("Elephants are walking down a trail.", "A herd of elephants are walking along a trail.");
    allowed("Several people are sitting around a fire.", "A group of people sit around a fire.");
    allowed("Best way to learn Spanish?", "What's the best way to learn Spanish?");
  }

  @Test
  void allowsTheSameNamesInAnyCaseOrPlace() {
    allowed("How do I enable 2FA on GitHub?", "how do i enable 2fa on github");
    allowed("How do I enable 2FA on GitHub?", "On GitHub, how do I enable 2FA?");
    allowed("What does `git rebase` do?", "What does git rebase do?");
    allowed("Explain recursion in simple terms.", "Please explain recursion in simple terms.");
    allowed("What's the difference between React and Angular?", "What's the difference between Angular and React?");
    allowed("HOW DO I RESET MY PASSWORD", "How do I reset my password?");
    allowed("Can I ask a question about Kubernetes?", "I'm wondering about Kubernetes, can I ask a question?");
  }

  @Test
  void refusesSharedNamesInOtherRoles() {
    refused(LexicalGuards.ROLE, "Flights from Boston to Denver", "Flights from Denver to Boston");
    refused(LexicalGuards.ROLE, "Is Python faster than Java?", "Is Java faster than Python?");
    refused(LexicalGuards.ROLE, "How do I migrate from MySQL to PostgreSQL?", "How do I migrate from PostgreSQL to MySQL?");
    refused(LexicalGuards.ROLE, "Is 5 bigger than 3?", "Is 3 bigger than 5?");
    allowed("Revenue rose to $616 million from $610 million.", "Revenue went from $610 million to $616 million.");
    allowed("Translate this from English to Spanish", "Translate this to Spanish from English");
  }

  @Test
  void refusesEveryHardNegativeAndAllowsEveryParaphrase() {
    List<String> passed = new ArrayList<>();
    for (Pair p : QuestionPairs.hardNegatives()) {
      if (refuse(p.a(), p.b()).isEmpty() || refuse(p.b(), p.a()).isEmpty()) {
        passed.add(p.kind() + ": " + p.a() + " | " + p.b());
      }
    }
    List<String> refused = new ArrayList<>();
    for (Pair p : QuestionPairs.paraphrases()) {
      refuse(p.a(), p.b()).ifPresent(r -> refused.add(r + ": " + p.a() + " | " + p.b()));
    }
    assertThat(QuestionPairs.hardNegatives()).hasSizeGreaterThanOrEqualTo(200);
    assertThat(passed).as("hard negatives the guards let pass").isEmpty();
    assertThat(refused).as("paraphrases the guards refused").isEmpty();
  }

  @Test
  void readsWordNetsAntonymsWithTheirIrregularForms() {
    Lexicon wordNet = Lexicon.standard();
    assertThat(wordNet.size()).as("words with an antonym").isGreaterThan(5_000);
    assertThat(wordNet.of("increase")).contains("decrease");
    assertThat(wordNet.of("accept")).contains("reject");
    java.util.Set<String> forms = new java.util.HashSet<>();
    wordNet.lemmas("worse", forms);
    assertThat(forms).contains("bad");
  }

  @Test
  void aRefusalNamesItsRuleAndNeverTheQuestion() {
    String secret = "How do I disable the Zanzibar-7 vault?";
    Optional<String> why = refuse("How do I enable the Zanzibar-7 vault?", secret);
    assertThat(why).isPresent();
    assertThat(why.get()).isIn(LexicalGuards.NEGATION, LexicalGuards.ANTONYM, LexicalGuards.NUMBER,
        LexicalGuards.NAME, LexicalGuards.ROLE);
  }
}
