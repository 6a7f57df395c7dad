package dev.spillway.core.guard;

import dev.spillway.core.config.SettingsSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One guard profile as the config writes it: the checks on the way in ({@code input}), the checks of the answer on
 * the way out ({@code output}), and how much of a stream the output guard holds back at a time. Built into running
 * checks by the gateway; only read and validated here.
 *
 * <pre>
 * profiles:
 *   standard:
 *     input:
 *       maxChars: 200000
 *       blocklists:
 *         - { name: profanity, terms: [foo, "bar baz"], action: block, severity: 4 }
 *         - { name: competitors, file: /etc/spillway/competitors.txt, action: log }
 *       patterns:
 *         deny:  [ { id: aws-key, pattern: "AKIA[0-9A-Z]{16}", action: block } ]
 *         allow: [ { id: on-topic, pattern: "(?i)invoice|order" } ]
 *       pii: { region: US, credit_card: mask, iban: mask, email: log, phone: log, us_ssn: block, ip_address: log }
 *       injection: { action: block }
 *     output:
 *       windowChars: 400
 *       pii: { credit_card: mask }
 * </pre>
 */
public record GuardProfileSpec(
    String name, ChecksSpec input, ChecksSpec output, int windowChars, Optional<ContentSafetySpec> contentSafety) {
  /** A profile without Azure AI Content Safety. */
  public GuardProfileSpec(String name, ChecksSpec input, ChecksSpec output, int windowChars) {
    this(name, input, output, windowChars, Optional.empty());
  }

  /**
   * Azure AI Content Safety for a profile's input: {@code text:analyze} (each harm category blocks at or above its
   * threshold, 0–7, and is logged above 0) and, with {@code shieldPrompt}, {@code text:shieldPrompt} (an attack
   * blocks as {@code jailbreak}). {@code failOpen}: when the service does not answer within {@code timeout}, the
   * request goes on (true, the default) or is refused with 503 (false).
   */
  public record ContentSafetySpec(String endpoint, String key, String apiVersion, Map<String, Integer> thresholds,
      boolean shieldPrompt, boolean failOpen, java.time.Duration timeout) {
    public static final List<String> CATEGORIES = List.of("hate", "sexual", "violence", "self_harm");

    public ContentSafetySpec {
      thresholds = Map.copyOf(thresholds);
    }

    /** The threshold of {@code category}: its own, else 4 (medium). */
    public int thresholdOf(String category) {
      return thresholds.getOrDefault(category, 4);
    }

    @Override
    public String toString() {
      return "ContentSafetySpec[" + endpoint + ", key=***, " + apiVersion + ", " + thresholds + "]";
    }
  }
  /** The PII entities a profile may name. */
  public static final List<String> PII_ENTITIES =
      List.of("credit_card", "iban", "email", "phone", "us_ssn", "ip_address");

  /** The checks of one direction. Empty lists and maps: nothing of that kind. */
  public record ChecksSpec(
      Optional<Long> maxChars,
      List<BlocklistSpec> blocklists,
      List<PatternSpec> deny,
      List<PatternSpec> allow,
      Map<String, GuardAction> pii,
      String piiRegion,
      Optional<GuardAction> injection) {
    public static final ChecksSpec NONE =
        new ChecksSpec(Optional.empty(), List.of(), List.of(), List.of(), Map.of(), "US", Optional.empty());

    public ChecksSpec {
      blocklists = List.copyOf(blocklists);
      deny = List.copyOf(deny);
      allow = List.copyOf(allow);
      pii = Map.copyOf(pii);
    }

    /** True when no check is asked for. */
    public boolean empty() {
      return maxChars.isEmpty() && blocklists.isEmpty() && deny.isEmpty() && allow.isEmpty() && pii.isEmpty()
          && injection.isEmpty();
    }
  }

  /** A named list of terms, inline or one per line of a file. */
  public record BlocklistSpec(String name, List<String> terms, Optional<String> file, GuardAction action, int severity) {
    public BlocklistSpec {
      terms = List.copyOf(terms);
    }
  }

  /** A regular expression with an id and the action of a match. */
  public record PatternSpec(String id, String pattern, GuardAction action) {}

  /** Reads the profile {@code name} from its section; problems are reported on the section. */
  static GuardProfileSpec read(String name, SettingsSection s) {
    s.allowKeys("input", "output", "contentSafety");
    ChecksSpec input = s.section("input").map(in -> checks(in, false)).orElse(ChecksSpec.NONE);
    Optional<SettingsSection> out = s.section("output");
    ChecksSpec output = out.map(o -> checks(o, true)).orElse(ChecksSpec.NONE);
    int window = out.flatMap(o -> o.wholeNumber("windowChars", 50, 100_000)).orElse(400L).intValue();
    return new GuardProfileSpec(name, input, output, window, s.section("contentSafety").flatMap(GuardProfileSpec::safety));
  }

  private static ChecksSpec checks(SettingsSection s, boolean output) {
    if (output) {
      s.allowKeys("maxChars", "blocklists", "patterns", "pii", "injection", "windowChars");
    } else {
      s.allowKeys("maxChars", "blocklists", "patterns", "pii", "injection");
    }
    List<BlocklistSpec> lists = new ArrayList<>();
    for (SettingsSection b : s.sections("blocklists")) {
      b.allowKeys("name", "terms", "file", "action", "severity");
      Optional<String> name = b.text("name");
      List<String> terms = b.texts("terms", "terms").orElse(List.of());
      Optional<String> file = b.text("file");
      if (name.isEmpty()) {
        b.problem("name", "a blocklist needs a name (its rule id in events)");
      }
      if (terms.isEmpty() && file.isEmpty()) {
        b.problem("terms", "a blocklist needs terms or a file of terms, one per line");
      }
      name.ifPresent(n -> lists.add(new BlocklistSpec(n, terms, file, action(b, GuardAction.BLOCK),
          b.wholeNumber("severity", 0, 7).orElse(4L).intValue())));
    }
    List<PatternSpec> deny = new ArrayList<>();
    List<PatternSpec> allow = new ArrayList<>();
    s.section("patterns").ifPresent(p -> {
      p.allowKeys("deny", "allow");
      deny.addAll(patterns(p, "deny"));
      allow.addAll(patterns(p, "allow"));
    });
    Map<String, GuardAction> pii = new LinkedHashMap<>();
    String region = "US";
    Optional<SettingsSection> piiSection = s.section("pii");
    if (piiSection.isPresent()) {
      SettingsSection p = piiSection.get();
      List<String> keys = new ArrayList<>(PII_ENTITIES);
      keys.add("region");
      p.allowKeys(keys.toArray(String[]::new));
      region = p.text("region").orElse("US");
      for (String entity : PII_ENTITIES) {
        p.oneOf(entity, "log", "mask", "block").ifPresent(a -> pii.put(entity, GuardAction.parse(a)));
      }
    }
    Optional<GuardAction> injection = s.section("injection").map(i -> {
      i.allowKeys("action");
      return action(i, GuardAction.BLOCK);
    });
    return new ChecksSpec(s.wholeNumber("maxChars", 1, 100_000_000), lists, deny, allow, pii, region, injection);
  }

  private static Optional<ContentSafetySpec> safety(SettingsSection c) {
    c.allowKeys("endpoint", "key", "apiVersion", "thresholds", "shieldPrompt", "failOpen", "timeout");
    Optional<String> endpoint = c.text("endpoint");
    Optional<String> key = c.text("key");
    if (endpoint.isEmpty()) {
      c.problem("endpoint", "is required: the Content Safety resource's URL");
    }
    if (key.isEmpty()) {
      c.problem("key", "is required: write it as ${NAME} to read it from the environment");
    }
    Map<String, Integer> thresholds = new LinkedHashMap<>();
    c.section("thresholds").ifPresent(t -> {
      t.allowKeys(ContentSafetySpec.CATEGORIES.toArray(String[]::new));
      for (String category : ContentSafetySpec.CATEGORIES) {
        t.wholeNumber(category, 0, 7).ifPresent(n -> thresholds.put(category, n.intValue()));
      }
    });
    if (endpoint.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ContentSafetySpec(endpoint.get().replaceAll("/+$", ""), key.get(),
        c.text("apiVersion").orElse("2024-09-01"), thresholds, c.bool("shieldPrompt").orElse(false),
        c.bool("failOpen").orElse(true), c.duration("timeout").orElse(java.time.Duration.ofSeconds(2))));
  }

  private static List<PatternSpec> patterns(SettingsSection p, String key) {
    List<PatternSpec> out = new ArrayList<>();
    for (SettingsSection x : p.sections(key)) {
      x.allowKeys("id", "pattern", "action");
      Optional<String> id = x.text("id");
      Optional<String> pattern = x.text("pattern");
      if (id.isEmpty()) {
        x.problem("id", "a pattern needs an id (its rule id in events)");
      }
      if (pattern.isEmpty()) {
        x.problem("pattern", "is required");
      }
      pattern.ifPresent(re -> {
        try {
          java.util.regex.Pattern.compile(re);
        } catch (java.util.regex.PatternSyntaxException e) {
          x.problem("pattern", "is not a valid regular expression: " + e.getDescription());
          return;
        }
        id.ifPresent(i -> out.add(new PatternSpec(i, re, action(x, GuardAction.BLOCK))));
      });
    }
    return out;
  }

  private static GuardAction action(SettingsSection s, GuardAction otherwise) {
    return s.oneOf("action", "log", "mask", "block").map(GuardAction::parse).orElse(otherwise);
  }
}
