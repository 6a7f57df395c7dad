package dev.spillway.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.SpillwayConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardSettingsTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - { id: a, url: "https://a.example", deployment: d, tier: ptu }
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", name -> null);
  }

  private static GuardSettings root(SpillwayConfig c) {
    return c.policySettings().get(GuardSettings.class).orElseThrow();
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("the config is refused").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void aProfileReadsEveryKindOfCheckInAndOut() {
    GuardSettings g = root(parse("""
        guard:
          profile: standard
          teams: { lab: none, risk: strict }
          profiles:
            standard:
              input:
                maxChars: 1000
                blocklists:
                  - { name: profanity, terms: [foo, "bar baz"], severity: 5 }
                  - { name: competitors, file: /tmp/c.txt, action: log }
                patterns:
                  deny: [ { id: aws-key, pattern: "AKIA[0-9A-Z]{16}" } ]
                  allow: [ { id: topic, pattern: "(?i)invoice", action: log } ]
                pii: { region: DE, credit_card: mask, us_ssn: block, email: log }
                injection: { action: block }
              output:
                windowChars: 300
                pii: { credit_card: mask }
            strict:
              input: { injection: {} }
        """));
    GuardProfileSpec p = g.named("standard").orElseThrow();
    assertThat(p.input().maxChars()).contains(1000L);
    assertThat(p.input().blocklists()).containsExactly(
        new GuardProfileSpec.BlocklistSpec("profanity", List.of("foo", "bar baz"), Optional.empty(), GuardAction.BLOCK, 5),
        new GuardProfileSpec.BlocklistSpec("competitors", List.of(), Optional.of("/tmp/c.txt"), GuardAction.LOG, 4));
    assertThat(p.input().deny()).containsExactly(new GuardProfileSpec.PatternSpec("aws-key", "AKIA[0-9A-Z]{16}", GuardAction.BLOCK));
    assertThat(p.input().allow()).containsExactly(new GuardProfileSpec.PatternSpec("topic", "(?i)invoice", GuardAction.LOG));
    assertThat(p.input().pii()).containsEntry("credit_card", GuardAction.MASK).containsEntry("us_ssn", GuardAction.BLOCK)
        .containsEntry("email", GuardAction.LOG).hasSize(3);
    assertThat(p.input().piiRegion()).isEqualTo("DE");
    assertThat(p.input().injection()).contains(GuardAction.BLOCK);
    assertThat(p.output().pii()).containsEntry("credit_card", GuardAction.MASK);
    assertThat(p.windowChars()).isEqualTo(300);
    assertThat(g.named("strict").orElseThrow().input().injection()).contains(GuardAction.BLOCK);
    assertThat(g.named("strict").orElseThrow().output().empty()).isTrue();

    // A caller's own choice, else its team's, else the gateway's; none turns it off.
    assertThat(g.profileFor(Optional.empty(), "sales").map(GuardProfileSpec::name)).contains("standard");
    assertThat(g.profileFor(Optional.empty(), "risk").map(GuardProfileSpec::name)).contains("strict");
    assertThat(g.profileFor(Optional.empty(), "lab")).isEmpty();
    assertThat(g.profileFor(Optional.of("strict"), "lab").map(GuardProfileSpec::name)).contains("strict");
    assertThat(g.profileFor(Optional.of("none"), "risk")).isEmpty();
  }

  @Test
  void aConsumerChoosesItsProfile() {
    SpillwayConfig c = parse("""
        guard: { profile: p, profiles: { p: { input: { injection: {} } } } }
        consumers:
          - { id: lab, team: t, models: ["*"], guard: { profile: none } }
        auth: { required: false }
        """);
    GuardSettings own = c.consumers().get(0).policySettings().get(GuardSettings.class).orElseThrow();
    assertThat(own.profile()).contains("none");
  }

  @Test
  void mistakesAreReportedAtTheirLines() {
    assertThat(problems("""
        guard:
          profile: missing
          teams: { red: nope }
          profiles:
            none: { input: {} }
            p:
              input:
                blocklists: [ { terms: [a] }, { name: empty } ]
                patterns: { deny: [ { id: bad, pattern: "(" } ] }
                pii: { credit_card: redact, passport: mask }
                injection: { action: shout }
        """)).anySatisfy(p -> assertThat(p).contains("guard.profile", "'missing' is not one of the profiles"))
        .anySatisfy(p -> assertThat(p).contains("guard.teams.red", "'nope'"))
        .anySatisfy(p -> assertThat(p).contains("guard.profiles.none", "'none' is the word for no guard"))
        .anySatisfy(p -> assertThat(p).contains("blocklists[0]", "needs a name"))
        .anySatisfy(p -> assertThat(p).contains("blocklists[1]", "needs terms or a file"))
        .anySatisfy(p -> assertThat(p).contains("deny[0].pattern", "not a valid regular expression"))
        .anySatisfy(p -> assertThat(p).contains("pii.credit_card", "log, mask, block"))
        .anySatisfy(p -> assertThat(p).contains("passport"))
        .anySatisfy(p -> assertThat(p).contains("injection.action"));
  }
}
