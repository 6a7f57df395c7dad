package dev.spillway.core.guard.pii;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The PII check: runs one recognizer per configured entity and reports each span found as a finding with the
 * entity's action and severity, category {@code pii.<entity>} and rule id {@code <entity>} ({@link PiiEntity}). An
 * entity not configured is not looked for.
 *
 * <p>Overlaps: the recognizers run in {@link PiiEntity}'s order of precedence (e-mail, IBAN, card, SSN, IP address,
 * phone) and a span that overlaps one already kept is dropped, so each stretch of text is reported once, as the most
 * specific thing it is: {@code +12127364100@sms.example.com} is an e-mail address, not also a phone number. Precedence
 * holds among the configured entities only: with e-mail addresses not configured, that text gives a phone number.
 * Each recognizer is handed the spans kept before it ({@link PiiRecognizer#find(CharSequence, List)}), so the phone
 * recognizer spends no libphonenumber scan on the digits of a card number or an IBAN already found.
 *
 * <p>Built with {@link #builder()}; immutable and thread-safe.
 */
public final class PiiCheck implements TextCheck {
  /** The check's id in config, events and metrics. */
  public static final String ID = "pii";

  /** What to do about one entity, and how grave a finding of it is (0–7). */
  public record Rule(GuardAction action, int severity) {
    public Rule {
      Objects.requireNonNull(action, "action");
      if (action == GuardAction.ALLOW) {
        throw new IllegalArgumentException("a PII entity's action is log, mask or block, not allow (leave the entity"
            + " out not to look for it)");
      }
      if (severity < 0 || severity > 7) {
        throw new IllegalArgumentException("severity is 0 to 7, not " + severity);
      }
    }
  }

  private final Map<PiiEntity, Rule> rules;
  private final List<PiiRecognizer> recognizers;
  private final String phoneRegion;

  private PiiCheck(Builder b) {
    this.rules = Collections.unmodifiableMap(new EnumMap<>(b.rules));
    this.phoneRegion = b.phoneRegion;
    List<PiiRecognizer> r = new ArrayList<>();
    for (PiiEntity e : rules.keySet()) { // EnumMap: in order of precedence
      r.add(recognizer(e, phoneRegion));
    }
    this.recognizers = List.copyOf(r);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return ID;
  }

  /** The configured entities, in order of precedence, with their rules. */
  public Map<PiiEntity, Rule> rules() {
    return rules;
  }

  /** The region phone numbers without a country code are read in. */
  public String phoneRegion() {
    return phoneRegion;
  }

  @Override
  public List<GuardFinding> inspect(CharSequence text) {
    TreeMap<Integer, GuardFinding> kept = new TreeMap<>();
    for (PiiRecognizer r : recognizers) {
      Rule rule = rules.get(r.entity());
      List<PiiSpan> claimed = kept.values().stream().map(f -> new PiiSpan(f.start(), f.end())).toList();
      for (PiiSpan s : r.find(text, claimed)) {
        var before = kept.floorEntry(s.end() - 1);
        if (before == null || before.getValue().end() <= s.start()) {
          kept.put(s.start(), new GuardFinding(rule.action(), r.entity().category(), rule.severity(),
              r.entity().id(), s.start(), s.end()));
        }
      }
    }
    return List.copyOf(kept.values());
  }

  @Override
  public String toString() {
    return "PiiCheck" + rules + " region " + phoneRegion;
  }

  private static PiiRecognizer recognizer(PiiEntity e, String region) {
    return switch (e) {
      case EMAIL -> new EmailRecognizer();
      case IBAN -> new IbanRecognizer();
      case CREDIT_CARD -> new CreditCardRecognizer();
      case US_SSN -> new SsnRecognizer();
      case IP_ADDRESS -> new IpAddressRecognizer();
      case PHONE -> new PhoneRecognizer(region);
    };
  }

  /** Collects the entities to look for; {@link #build} checks that there is at least one. */
  public static final class Builder {
    private final Map<PiiEntity, Rule> rules = new EnumMap<>(PiiEntity.class);
    private String phoneRegion = "US";

    private Builder() {}

    /** Looks for {@code entity} and applies {@code action} to it, at the entity's default severity. */
    public Builder entity(PiiEntity entity, GuardAction action) {
      return entity(entity, action, entity.defaultSeverity());
    }

    /** Looks for {@code entity}, applies {@code action}, and reports it at {@code severity} (0–7). */
    public Builder entity(PiiEntity entity, GuardAction action, int severity) {
      Objects.requireNonNull(entity, "entity");
      Rule rule = new Rule(action, severity);
      if (rules.containsKey(entity)) {
        throw new IllegalArgumentException("PII entity " + entity.id() + " is configured twice");
      }
      rules.put(entity, rule);
      return this;
    }

    /** Looks for every entity with the same action, each at its default severity. */
    public Builder allEntities(GuardAction action) {
      for (PiiEntity e : PiiEntity.values()) {
        entity(e, action);
      }
      return this;
    }

    /** The ISO 3166-1 region phone numbers without a country code are read in; {@code US} unless set. */
    public Builder phoneRegion(String region) {
      this.phoneRegion = new PhoneRecognizer(Objects.requireNonNull(region, "region")).region();
      return this;
    }

    public PiiCheck build() {
      if (rules.isEmpty()) {
        throw new IllegalStateException("a PII check needs at least one entity to look for");
      }
      return new PiiCheck(this);
    }
  }
}
