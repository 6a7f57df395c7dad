package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The routing keys beyond retries (request deadline, circuit breaker) and the per-model pool
 * settings (strategies, PTU waiting, predictive spill, session affinity): happy paths, defaults and
 * every validation message with its key path and line.
 */
class RoutingAndModelKeysTest {

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "spillway.yaml", name -> null);
  }

  private static List<String> problems(String yaml) {
    return problems(yaml, Map.of());
  }

  private static List<String> problems(String yaml, Map<String, String> env) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "spillway.yaml", env::get));
    assertThat(e).as("expected a ConfigException").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  /** One PTU backend under gpt-4o; {@code modelKeys} (4-space indent) start on line 3. */
  private static String model(String modelKeys) {
    return "models:\n  gpt-4o:\n"
        + modelKeys
        + """
            backends:
              - id: ptu-eastus
                url: https://contoso.openai.azure.com
                deployment: gpt-4o-ptu
                tier: ptu
        """;
  }

  /** {@link #model} with a PAYG backend instead. */
  private static String paygModel(String modelKeys) {
    return model(modelKeys).replace("tier: ptu", "tier: payg");
  }

  /** {@code routingKeys} (2-space indent) start on line 2; a valid model follows. */
  private static String routing(String routingKeys) {
    return "routing:\n" + routingKeys + model("");
  }

  private static ModelConfig gpt4o(String yaml) {
    return parse(yaml).model("gpt-4o").orElseThrow();
  }

  // ---- routing.requestDeadline ----

  @Test
  void requestDeadlineIsReadAndDefaultsToTwoMinutes() {
    assertThat(parse(routing("  requestDeadline: 45s\n")).routing().requestDeadline())
        .isEqualTo(Duration.ofSeconds(45));
    assertThat(parse(routing("  maxAttempts: 2\n")).routing().requestDeadline())
        .isEqualTo(RoutingConfig.DEFAULT_REQUEST_DEADLINE);
  }

  @Test
  void requestDeadlineMustBeAPositiveDurationWithAUnit() {
    assertThat(problems(routing("  requestDeadline: 0s\n")))
        .containsExactly(
            "spillway.yaml:2: routing.requestDeadline: must be a positive duration like 250ms, 10s, 2m, 1h or 1m30s,"
                + " got \"0s\"");
    assertThat(problems(routing("  requestDeadline: 120\n")))
        .containsExactly(
            "spillway.yaml:2: routing.requestDeadline: needs a unit (ms, s, m, h or d), for example 250ms or 10s; a"
                + " bare number is ambiguous, got \"120\"");
  }

  // ---- routing.breaker ----

  @Test
  void breakerReadsEveryKey() {
    BreakerConfig breaker =
        parse(
                routing(
                    """
                      breaker:
                        enabled: true
                        failureThreshold: 0
                        failureRatePercent: 25
                        minimumCalls: 20
                        window: 1m
                        tripDuration: 15s
                        acceptRetryAfter: false
                        halfOpenProbes: 3
                        failureStatuses: [500, 503]
                    """))
            .routing()
            .breaker();

    assertThat(breaker)
        .isEqualTo(
            new BreakerConfig(
                true, 0, 25, 20, Duration.ofMinutes(1), Duration.ofSeconds(15), false, 3, Set.of(500, 503)));
  }

  @Test
  void breakerKeysAreEachOptionalAndAnEmptySectionMeansTheDefaults() {
    BreakerConfig disabled = parse(routing("  breaker:\n    enabled: false\n")).routing().breaker();
    assertThat(disabled)
        .isEqualTo(
            new BreakerConfig(
                false, 0, 50, 5, Duration.ofSeconds(30), Duration.ofSeconds(30), true, 1, Set.of(500, 502, 503, 504)));
    assertThat(parse(routing("  breaker:\n")).routing().breaker()).isEqualTo(BreakerConfig.DEFAULTS);
    assertThat(parse(routing("  breaker: {}\n")).routing().breaker()).isEqualTo(BreakerConfig.DEFAULTS);
    assertThat(parse(routing("  breaker:\n    failureStatuses: []\n")).routing().breaker().failureStatuses())
        .isEmpty();
  }

  @Test
  void breakerNumbersAndDurationsAreRangeChecked() {
    List<String> problems =
        problems(
            routing(
                """
                  breaker:
                    failureThreshold: -1
                    failureRatePercent: 101
                    minimumCalls: 0
                    window: 0s
                    tripDuration: 30
                    halfOpenProbes: 0
                """));

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:3: routing.breaker.failureThreshold: must be a whole number >= 0, got \"-1\"",
            "spillway.yaml:4: routing.breaker.failureRatePercent: must be a whole number 0..100, got \"101\"",
            "spillway.yaml:5: routing.breaker.minimumCalls: must be a whole number >= 1, got \"0\"",
            "spillway.yaml:6: routing.breaker.window: must be a positive duration like 250ms, 10s, 2m, 1h or 1m30s,"
                + " got \"0s\"",
            "spillway.yaml:7: routing.breaker.tripDuration: needs a unit (ms, s, m, h or d), for example 250ms or"
                + " 10s; a bare number is ambiguous, got \"30\"",
            "spillway.yaml:8: routing.breaker.halfOpenProbes: must be a whole number >= 1, got \"0\"");
  }

  @Test
  void maxEjectedPercentDefaultsToAllButOneBackendAndIsRangeChecked() {
    assertThat(BreakerConfig.DEFAULTS.maxEjectedPercent()).isEqualTo(99);
    assertThat(BreakerConfig.DEFAULTS.maxEjected(1)).isZero();
    assertThat(BreakerConfig.DEFAULTS.maxEjected(2)).isEqualTo(1);
    assertThat(BreakerConfig.DEFAULTS.maxEjected(7)).isEqualTo(6);
    assertThat(BreakerConfig.DEFAULTS.maxEjected(100)).isEqualTo(99);
    BreakerConfig half = parse(routing("  breaker:\n    maxEjectedPercent: 50\n")).routing().breaker();
    assertThat(half).isEqualTo(BreakerConfig.DEFAULTS.withMaxEjectedPercent(50));
    assertThat(half.maxEjected(3)).isEqualTo(1);
    assertThat(parse(routing("  breaker:\n    maxEjectedPercent: 100\n")).routing().breaker().maxEjected(2)).isEqualTo(2);

    assertThat(problems(routing("  breaker:\n    halfOpenProbes: 2\n    maxEjectedPercent: 101\n")))
        .containsExactly(
            "spillway.yaml:4: routing.breaker.maxEjectedPercent: must be a whole number 0..100, got \"101\"");
    assertThat(problems(routing("  breaker:\n    maxEjectedPercent: 50%\n")))
        .containsExactly("spillway.yaml:3: routing.breaker.maxEjectedPercent: must be a whole number 0..100, got \"50%\"");
  }

  @Test
  void breakerThatCouldNeverOpenIsRejectedUnlessDisabled() {
    String bothZero = "  breaker:\n    failureThreshold: 0\n    failureRatePercent: 0\n";
    assertThat(problems(routing(bothZero)))
        .containsExactly(
            "spillway.yaml:4: routing.breaker.failureRatePercent: failureThreshold and failureRatePercent cannot both"
                + " be 0 while the breaker is enabled (it could never open); set one above 0, or set enabled: false");

    BreakerConfig off = parse(routing(bothZero + "    enabled: false\n")).routing().breaker();
    assertThat(off.enabled()).isFalse();
    assertThat(off.failureThreshold()).isZero();
    assertThat(off.failureRatePercent()).isZero();
  }

  @Test
  void failureStatusesMustBe5xxAndNever429() {
    List<String> problems =
        problems(routing("  breaker:\n    failureStatuses: [500, 429, 404, 200, 600, abc, 502, 502]\n"));

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:3: routing.breaker.failureStatuses[1]: 429 is never a breaker failure: throttling is"
                + " handled by Retry-After and the throttle state, not the breaker; remove it",
            "spillway.yaml:3: routing.breaker.failureStatuses[2]: must be a 5xx status 500..599; client errors (4xx)"
                + " never count as breaker failures, got \"404\"",
            "spillway.yaml:3: routing.breaker.failureStatuses[3]: must be an HTTP status 500..599, got \"200\"",
            "spillway.yaml:3: routing.breaker.failureStatuses[4]: must be an HTTP status 500..599, got \"600\"",
            "spillway.yaml:3: routing.breaker.failureStatuses[5]: must be an HTTP status 500..599, got \"abc\"",
            "spillway.yaml:3: routing.breaker.failureStatuses[7]: duplicate status 502 (already listed at [6])");
  }

  @Test
  void failureStatusesMustBeAListOfNumbers() {
    assertThat(problems(routing("  breaker:\n    failureStatuses: 500\n")))
        .containsExactly(
            "spillway.yaml:3: routing.breaker.failureStatuses: must be a list of HTTP statuses, for example [500, 502,"
                + " 503, 504], got a single value");
    assertThat(problems(routing("  breaker:\n    failureStatuses:\n      - \"503\"\n      - [500]\n")))
        .containsExactly(
            "spillway.yaml:4: routing.breaker.failureStatuses[0]: must be an HTTP status 500..599 without quotes (a"
                + " YAML number, not a string), got \"503\"",
            "spillway.yaml:5: routing.breaker.failureStatuses[1]: must be a single value, got a list");
  }

  @Test
  void unknownBreakerKeysGetASuggestion() {
    assertThat(problems(routing("  breakr: {}\n  breaker:\n    halfOpenProbe: 2\n    colour: red\n")))
        .containsExactly(
            "spillway.yaml:2: routing.breakr: unknown key; did you mean breaker?",
            "spillway.yaml:4: routing.breaker.halfOpenProbe: unknown key; did you mean halfOpenProbes?",
            "spillway.yaml:5: routing.breaker.colour: unknown key (expected one of enabled, failureThreshold,"
                + " failureRatePercent, minimumCalls, window, tripDuration, acceptRetryAfter, halfOpenProbes,"
                + " failureStatuses, maxEjectedPercent)");
  }

  // ---- booleans and numbers are real YAML booleans and numbers ----

  @Test
  void booleansMustBeUnquotedTrueOrFalse() {
    List<String> problems =
        problems(routing("  breaker:\n    enabled: \"true\"\n    acceptRetryAfter: yes\n"));

    assertThat(problems)
        .containsExactly(
            "spillway.yaml:3: routing.breaker.enabled: must be true or false without quotes (a YAML boolean, not a"
                + " string), got \"true\"",
            "spillway.yaml:4: routing.breaker.acceptRetryAfter: must be true or false, got \"yes\"");
    assertThat(problems(routing("  breaker:\n    enabled: 1\n")))
        .containsExactly("spillway.yaml:3: routing.breaker.enabled: must be true or false, got \"1\"");
    assertThat(parse(routing("  breaker:\n    enabled: FALSE\n")).routing().breaker().enabled()).isFalse();
  }

  @Test
  void numbersMustBeUnquoted() {
    assertThat(problems(routing("  breaker:\n    failureThreshold: \"5\"\n")))
        .containsExactly(
            "spillway.yaml:3: routing.breaker.failureThreshold: must be a whole number >= 0 without quotes (a YAML"
                + " number, not a string), got \"5\"");
    assertThat(problems(routing("  maxAttempts: '3'\n")))
        .containsExactly(
            "spillway.yaml:2: routing.maxAttempts: must be a whole number >= 0 without quotes (a YAML number, not a"
                + " string), got \"3\"");
  }

  @Test
  void booleansAndNumbersFromTheEnvironmentAreReadByTheirText() {
    Map<String, String> env = Map.of("BREAKER_ON", "false", "THRESHOLD", "7");
    SpillwayConfig config =
        ConfigLoader.parse(
            routing("  breaker:\n    enabled: ${BREAKER_ON}\n    failureThreshold: \"${THRESHOLD}\"\n"),
            "spillway.yaml",
            env::get);

    assertThat(config.routing().breaker().enabled()).isFalse();
    assertThat(config.routing().breaker().failureThreshold()).isEqualTo(7);
    assertThat(problems(routing("  breaker:\n    enabled: ${BREAKER_ON}\n"), Map.of("BREAKER_ON", "on")))
        .containsExactly(
            "spillway.yaml:3: routing.breaker.enabled: must be true or false, got \"${BREAKER_ON}\" (after ${...}"
                + " substitution; value not shown)");
  }

  // ---- models.*.strategy and groupStrategy ----

  @Test
  void everyStrategyIsAccepted() {
    assertThat(gpt4o(model("    strategy: weighted\n")).strategy()).isEqualTo(RoutingStrategy.WEIGHTED);
    assertThat(gpt4o(model("    strategy: round-robin\n")).strategy()).isEqualTo(RoutingStrategy.ROUND_ROBIN);
    assertThat(gpt4o(model("    strategy: least-inflight\n")).strategy()).isEqualTo(RoutingStrategy.LEAST_INFLIGHT);
    assertThat(gpt4o(model("    strategy: lowest-latency\n")).strategy()).isEqualTo(RoutingStrategy.LOWEST_LATENCY);
    assertThat(gpt4o(model("    strategy: priority\n")).strategy()).isEqualTo(RoutingStrategy.PRIORITY);
  }

  @Test
  void groupStrategyIsReadUnderPriorityAndDefaultsToWeighted() {
    ModelConfig explicit = gpt4o(model("    strategy: priority\n    groupStrategy: least-inflight\n"));
    assertThat(explicit.groupStrategy()).isEqualTo(RoutingStrategy.LEAST_INFLIGHT);
    assertThat(gpt4o(model("    groupStrategy: round-robin\n")).groupStrategy()).isEqualTo(RoutingStrategy.ROUND_ROBIN);
    assertThat(gpt4o(model("    strategy: round-robin\n")).groupStrategy()).isEqualTo(RoutingStrategy.WEIGHTED);
  }

  @Test
  void groupStrategyCannotBePriority() {
    assertThat(problems(model("    groupStrategy: priority\n")))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.groupStrategy: cannot be priority (it picks inside one priority group);"
                + " use one of weighted, round-robin, least-inflight, lowest-latency");
    assertThat(problems(model("    groupStrategy: random\n")))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.groupStrategy: must be one of weighted, round-robin, least-inflight,"
                + " lowest-latency, got \"random\"");
  }

  @Test
  void groupStrategyOnlyAppliesToStrategyPriority() {
    assertThat(problems(model("    strategy: weighted\n    groupStrategy: round-robin\n")))
        .containsExactly(
            "spillway.yaml:4: models.gpt-4o.groupStrategy: only applies to strategy: priority (this model uses"
                + " strategy: weighted)");
  }

  // ---- models.*.maxWaitForPtu and maxPtuWaiters ----

  @Test
  void maxWaitForPtuAndMaxPtuWaitersAreRead() {
    ModelConfig model = gpt4o(model("    maxWaitForPtu: 1500ms\n    maxPtuWaiters: 0\n"));
    assertThat(model.maxWaitForPtu()).isEqualTo(Duration.ofMillis(1500));
    assertThat(model.maxPtuWaiters()).isZero();
    assertThat(gpt4o(paygModel("    maxWaitForPtu: 0s\n")).maxWaitForPtu()).isZero();
  }

  @Test
  void maxWaitForPtuNeedsAPtuBackend() {
    assertThat(problems(paygModel("    maxWaitForPtu: 2s\n")))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.maxWaitForPtu: needs at least one tier: ptu backend in this model (it is"
                + " how long to wait for PTU before spilling to PAYG); remove it or add a PTU backend");
  }

  @Test
  void maxWaitForPtuMustBeADurationShorterThanTheRequestDeadline() {
    assertThat(problems(model("    maxWaitForPtu: 1500\n")))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.maxWaitForPtu: needs a unit (ms, s, m, h or d), for example 250ms or 10s;"
                + " a bare number is ambiguous, got \"1500\"");
    assertThat(problems(model("    maxWaitForPtu: -1s\n")))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.maxWaitForPtu: must be a duration like 250ms, 10s, 2m, 1h or 1m30s, got"
                + " \"-1s\"");
    assertThat(problems("routing:\n  requestDeadline: 1m\n" + model("    maxWaitForPtu: 1m\n")))
        .containsExactly(
            "spillway.yaml:5: models.gpt-4o.maxWaitForPtu: must be shorter than routing.requestDeadline (1m), or a"
                + " request waiting for PTU runs out of time before it can spill to PAYG, got 1m");
  }

  @Test
  void maxPtuWaitersMustBeAWholeNumberAtLeastZero() {
    assertThat(problems(model("    maxPtuWaiters: -1\n")))
        .containsExactly("spillway.yaml:3: models.gpt-4o.maxPtuWaiters: must be a whole number >= 0, got \"-1\"");
    assertThat(problems(model("    maxPtuWaiters: \"10\"\n")))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.maxPtuWaiters: must be a whole number >= 0 without quotes (a YAML number,"
                + " not a string), got \"10\"");
  }

  // ---- models.*.predictiveSpill ----

  @Test
  void predictiveSpillIsReadWithPerKeyDefaults() {
    ModelConfig model =
        gpt4o(
            model(
                """
                    predictiveSpill:
                      enabled: true
                      ptuUtilizationPercent: 97.5
                      paygRemainingTokens: false
                """));
    assertThat(model.predictiveSpill()).isEqualTo(new PredictiveSpill(true, 97.5, false));
    assertThat(gpt4o(model("    predictiveSpill: { enabled: true }\n")).predictiveSpill())
        .isEqualTo(new PredictiveSpill(true, 95, true));
    assertThat(gpt4o(model("    predictiveSpill: { ptuUtilizationPercent: 100 }\n")).predictiveSpill())
        .isEqualTo(new PredictiveSpill(false, 100, true));
  }

  @Test
  void ptuUtilizationPercentMustBeAboveZeroAndAtMostOneHundred() {
    String message = "must be a number above 0 and at most 100, like 95 or 97.5";
    assertThat(problems(model("    predictiveSpill:\n      ptuUtilizationPercent: 0\n")))
        .containsExactly(
            "spillway.yaml:4: models.gpt-4o.predictiveSpill.ptuUtilizationPercent: " + message + ", got \"0\"");
    assertThat(problems(model("    predictiveSpill:\n      ptuUtilizationPercent: 100.5\n")))
        .containsExactly(
            "spillway.yaml:4: models.gpt-4o.predictiveSpill.ptuUtilizationPercent: " + message + ", got \"100.5\"");
    assertThat(problems(model("    predictiveSpill:\n      ptuUtilizationPercent: \"95\"\n")))
        .containsExactly(
            "spillway.yaml:4: models.gpt-4o.predictiveSpill.ptuUtilizationPercent: "
                + message
                + " without quotes (a YAML number, not a string), got \"95\"");
    assertThat(problems(model("    predictiveSpill:\n      ptuUtilizationPercent: .inf\n")))
        .containsExactly(
            "spillway.yaml:4: models.gpt-4o.predictiveSpill.ptuUtilizationPercent: " + message + ", got \".inf\"");
  }

  @Test
  void predictiveSpillRejectsUnknownKeysAndNonBooleans() {
    assertThat(problems(model("    predictiveSpill:\n      ptuUtilisationPercent: 90\n      enabled: on\n")))
        .containsExactly(
            "spillway.yaml:4: models.gpt-4o.predictiveSpill.ptuUtilisationPercent: unknown key; did you mean"
                + " ptuUtilizationPercent?",
            "spillway.yaml:5: models.gpt-4o.predictiveSpill.enabled: must be true or false, got \"on\"");
  }

  // ---- models.*.affinity ----

  @Test
  void affinityReadsAHeaderOrACookie() {
    assertThat(gpt4o(model("    affinity:\n      header: x-session-id\n")).affinity())
        .contains(new SessionAffinity(SessionAffinity.Source.HEADER, "x-session-id"));
    assertThat(gpt4o(model("    affinity: { cookie: session }\n")).affinity())
        .contains(new SessionAffinity(SessionAffinity.Source.COOKIE, "session"));
    assertThat(gpt4o(model("    affinity:\n")).affinity()).isEqualTo(Optional.empty());
  }

  @Test
  void affinityNeedsExactlyOneOfHeaderOrCookie() {
    assertThat(problems(model("    affinity:\n      header: x-session-id\n      cookie: session\n")))
        .containsExactly("spillway.yaml:5: models.gpt-4o.affinity.cookie: set either header or cookie, not both");
    assertThat(problems(model("    affinity: {}\n")))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.affinity: needs exactly one of header or cookie, for example affinity: {"
                + " header: x-session-id }");
    assertThat(problems(model("    affinity:\n      headr: x-session-id\n")))
        .containsExactly("spillway.yaml:4: models.gpt-4o.affinity.headr: unknown key; did you mean header?");
    assertThat(problems(model("    affinity: x-session-id\n")))
        .containsExactly("spillway.yaml:3: models.gpt-4o.affinity: must be a mapping, got a single value");
  }

  @Test
  void affinityNameMustBeANonEmptyHttpToken() {
    assertThat(problems(model("    affinity:\n      header: \" \"\n")))
        .containsExactly("spillway.yaml:4: models.gpt-4o.affinity.header: must not be empty");
    assertThat(problems(model("    affinity:\n      cookie: \"my session\"\n")))
        .containsExactly(
            "spillway.yaml:4: models.gpt-4o.affinity.cookie: must be a valid cookie name (letters, digits and"
                + " !#$%&'*+-.^_`|~; no spaces, ':' or '='), got \"my session\"");
  }

  // ---- unknown model keys and several problems at once ----

  @Test
  void unknownModelKeysGetASuggestion() {
    assertThat(problems(model("    maxWaitForPTU: 1s\n    predictivSpill: {}\n")))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.maxWaitForPTU: unknown key; did you mean maxWaitForPtu?",
            "spillway.yaml:4: models.gpt-4o.predictivSpill: unknown key; did you mean predictiveSpill?");
  }

  @Test
  void problemsInTheNewKeysAreReportedTogetherInLineOrder() {
    List<String> problems =
        problems(
            """
            routing:
              requestDeadline: soon
              breaker:
                failureStatuses: [429]
            models:
              gpt-4o:
                strategy: lowest-latency
                groupStrategy: weighted
                maxPtuWaiters: many
                predictiveSpill: { ptuUtilizationPercent: 0 }
                affinity: {}
                backends:
                  - { id: a, url: "https://a.example", deployment: d, tier: ptu }
            """);

    assertThat(problems)
        .extracting(p -> p.substring(0, p.indexOf(": ", p.indexOf(": ") + 2)))
        .containsExactly(
            "spillway.yaml:2: routing.requestDeadline",
            "spillway.yaml:4: routing.breaker.failureStatuses[0]",
            "spillway.yaml:8: models.gpt-4o.groupStrategy",
            "spillway.yaml:9: models.gpt-4o.maxPtuWaiters",
            "spillway.yaml:10: models.gpt-4o.predictiveSpill.ptuUtilizationPercent",
            "spillway.yaml:11: models.gpt-4o.affinity");
  }

  @Test
  void authHoldDefaultsToAMinuteMayBeOffAndIsCappedAtAnHour() {
    assertThat(parse(model("")).routing().authHold()).isEqualTo(Duration.ofSeconds(60));
    assertThat(parse(routing("  authHold: 5m\n")).routing().authHold()).isEqualTo(Duration.ofMinutes(5));
    assertThat(parse(routing("  authHold: 0s\n")).routing().authHold()).isZero();
    assertThat(problems(routing("  authHold: 2h\n")))
        .containsExactly("spillway.yaml:2: routing.authHold: must be a duration from 0s to 1h (a fixed credential is"
            + " picked up by a config reload, whatever the hold), got \"2h\"");
  }
}
