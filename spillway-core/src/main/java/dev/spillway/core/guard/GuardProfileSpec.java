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
public record GuardProfileSpec(String name, ChecksSpec input, ChecksSpec output, int windowChars) {
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
    s.allowKeys("input", "output");
    ChecksSpec input = s.section("input").map(in -> checks(in, false)).orElse(ChecksSpec.NONE);
    Optional<SettingsSection> out = s.section("output");
    ChecksSpec output = out.map(o -> checks(o, true)).orElse(ChecksSpec.NONE);
    int window = out.flatMap(o -> o.wholeNumber("windowChars", 50, 100_000)).orElse(400L).intValue();
    return new GuardProfileSpec(name, input, output, window);
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
