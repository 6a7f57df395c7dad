package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.PiiSample.Slot.pii;
import static dev.spillway.core.guard.pii.PiiSample.Slot.plain;

import dev.spillway.core.guard.pii.PiiSample.Slot;
import dev.spillway.core.guard.pii.SyntheticContacts.Region;
import dev.spillway.core.guard.pii.SyntheticNumbers.Country;
import dev.spillway.core.guard.pii.SyntheticNumbers.Issuer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The labelled sample of the PII evaluation: for each entity, sentences holding valid values of every variety (each
 * card issuer, IBANs of twenty-two countries, SSNs with dashes, spaces or bare after the word, phones of eleven regions,
 * IPv4 and IPv6 in their forms) and sentences holding near misses (a failed checksum, a range never issued, a version
 * number, a MAC address...), often in the same sentences as the valid ones; then generic near misses that belong to no
 * entity ({@link GenericNearMisses}: dates, prices, tracking numbers...) and sentences mixing several entities.
 *
 * <p>Seeded and deterministic: the same seed gives the same texts, so the figures of the test and of the benchmark
 * report are reproducible. All values are made up; the phone numbers and IBANs are well-formed and may belong to
 * someone, as any well-formed number may.
 */
public final class PiiSampleGenerator {
  /** The seed of the committed figures. */
  public static final long SEED = 20_261_205L;
  static final int POSITIVES = 250;
  static final int NEAR_MISSES = 150;
  static final int MIXED = 100;

  private static final List<String> CARD_TEXTS = List.of("Please charge my card {} for the annual plan.",
      "Card number: {}, expiry 09/27.", "I paid with {} but the order never arrived.",
      "{} asked us to use {} for the deposit.", "The customer read out {} over the phone.",
      "Refund it to card {}, please.", "cc {}", "{} was declined twice today.", "Billing: card {} / CVV 123");
  private static final List<String> IBAN_TEXTS = List.of("Please wire the deposit to IBAN {}.",
      "Our bank details: {} (BIC DEUTDEFF).", "Account holder {}, IBAN: {}", "Transfer 250 EUR to {} by Friday.",
      "iban {} - reference 2024/118", "Salary goes to {} from next month.",
      "Meine IBAN lautet {}, Kontoinhaber siehe oben.");
  private static final List<String> EMAIL_TEXTS = List.of("Contact me at {} if anything changes.",
      "Send the invoice to {}.", "From: {}", "Reply to <{}>, not to me.", "My address is {}.",
      "Email {} or call reception.", "Ping {} about the contract, thanks");
  private static final List<String> PHONE_TEXTS = List.of("Call me on {} after 5pm.", "Phone: {}",
      "You can reach our office at {}.", "Mobile {} (WhatsApp too)", "{} is the number on file.",
      "Leave a message at {} and we will ring back.", "<a href=\"tel:{}\">Call us</a>",
      "Tel.: {} (Mo-Fr 9-17 Uhr)");
  private static final List<String> PHONE_BARE_TEXTS = List.of("call me at {} tonight", "my cell is {}",
      "Text {} when you land.", "phone {}", "Tel: {}");
  private static final List<String> PHONE_NEAR_TEXTS = List.of("Order {} has shipped.",
      "Invoice no. {} is attached.", "Account {} was closed.", "Reference {}", "See ticket {} for details.",
      "Call me on {} after 5pm.", "Phone: {}");
  private static final List<String> SSN_TEXTS = List.of("SSN: {}", "Social Security number {} is on the W-2.",
      "Employee {} - SSN {}", "The applicant's number is {}.", "Her social security no. is {}.",
      "Verify {} against the IRS records.");
  private static final List<String> IP_TEXTS = List.of("Login from {} was blocked.", "Server {} is down again.",
      "ssh admin@{}", "The request came from {} at 03:12 UTC.", "Whitelist {} in the firewall.", "host={} port=22",
      "GET http://{}/health returned 500.", "Adresse IP : {}, bloquée.");
  private static final List<String> IP_EXTRA_TEXTS = List.of("Allow {}/24 in the firewall.",
      "Connect to {}:8443 for the admin page.");

  private final Random random;
  private final SyntheticNumbers numbers;
  private final SyntheticContacts contacts;

  private PiiSampleGenerator(long seed) {
    this.random = new Random(seed);
    this.numbers = new SyntheticNumbers(random);
    this.contacts = new SyntheticContacts(random);
  }

  /** The whole sample: about 2,800 labelled texts. */
  public static List<PiiSample> generate(long seed) {
    PiiSampleGenerator g = new PiiSampleGenerator(seed);
    List<PiiSample> out = new ArrayList<>();
    for (int i = 0; i < POSITIVES; i++) {
      out.add(g.card(i));
      out.add(g.iban(i));
      out.add(g.email());
      out.add(g.phone(i));
      out.add(g.ssn(i));
      out.add(g.ip(i));
    }
    for (int i = 0; i < NEAR_MISSES; i++) {
      out.add(g.cardNearMiss(i));
      out.add(g.ibanNearMiss(i));
      out.add(g.emailNearMiss(i));
      out.add(g.phoneNearMiss(i));
      out.add(g.ssnNearMiss(i));
      out.add(g.ipNearMiss(i));
    }
    out.addAll(new GenericNearMisses(g.random, g.numbers).all());
    for (int i = 0; i < MIXED; i++) {
      out.add(g.mixed());
    }
    return List.copyOf(out);
  }

  private PiiSample card(int i) {
    Issuer issuer = SyntheticNumbers.ISSUERS.get(i % SyntheticNumbers.ISSUERS.size());
    String value = numbers.printed(numbers.card(issuer), issuer.amexLayout());
    return withName("credit_card", issuer.name(), false, pick(CARD_TEXTS), pii(PiiEntity.CREDIT_CARD, value));
  }

  private PiiSample cardNearMiss(int i) {
    Issuer issuer = SyntheticNumbers.ISSUERS.get(i % SyntheticNumbers.ISSUERS.size());
    String kind = List.of("luhn_fails", "no_issuer", "wrong_length").get(i % 3);
    String number = switch (kind) {
      case "luhn_fails" -> numbers.cardLuhnFails(issuer);
      case "no_issuer" -> numbers.cardNoIssuer();
      default -> numbers.cardWrongLength();
    };
    String text = pick(List.of(pick(CARD_TEXTS), "Order {} has been refunded.", "Your reference number is {}."));
    return withName("credit_card", kind, true, text, plain(numbers.printed(number, issuer.amexLayout())));
  }

  private PiiSample iban(int i) {
    Country c = SyntheticNumbers.COUNTRIES.get(i % SyntheticNumbers.COUNTRIES.size());
    String value = numbers.printedIban(numbers.iban(c));
    return withName("iban", c.code().toLowerCase(java.util.Locale.ROOT), false, pick(IBAN_TEXTS),
        pii(PiiEntity.IBAN, value));
  }

  private PiiSample ibanNearMiss(int i) {
    Country c = SyntheticNumbers.COUNTRIES.get(i % SyntheticNumbers.COUNTRIES.size());
    String kind = List.of("checksum_fails", "too_short", "no_such_country").get(i % 3);
    String value = switch (kind) {
      case "checksum_fails" -> numbers.ibanChecksumFails(c);
      case "too_short" -> numbers.ibanTooShort(c);
      default -> numbers.ibanNoSuchCountry();
    };
    return withName("iban", kind, true, pick(IBAN_TEXTS), plain(numbers.printedIban(value)));
  }

  private PiiSample email() {
    String template = pick(EMAIL_TEXTS);
    return PiiSample.fill("email", "address", false, template, pii(PiiEntity.EMAIL, contacts.email()));
  }

  private PiiSample emailNearMiss(int i) {
    String kind = List.of("spelled_out", "handle", "no_tld", "file_name", "package", "double_at").get(i % 6);
    String template = pick(List.of("Contact me at {} if anything changes.", "Follow {} for updates.",
        "See {} in the assets folder.", "Write to {} (internal only).", "npm install {}"));
    return PiiSample.fill("email", kind, true, template, plain(contacts.emailNearMiss(kind)));
  }

  private PiiSample phone(int i) {
    if (i % 5 == 4) {
      return PiiSample.fill("phone", "us_bare_with_word", false, pick(PHONE_BARE_TEXTS),
          pii(PiiEntity.PHONE, contacts.phoneBareUs()));
    }
    Region r = SyntheticContacts.REGIONS.get(i % SyntheticContacts.REGIONS.size());
    return PiiSample.fill("phone", r.name(), false, pick(PHONE_TEXTS), pii(PiiEntity.PHONE, contacts.phone(r)));
  }

  private PiiSample phoneNearMiss(int i) {
    String kind = List.of("seven_digits", "bad_area_code", "too_short", "order_number").get(i % 4);
    String template = kind.equals("order_number") ? pick(PHONE_NEAR_TEXTS.subList(0, 5)) : pick(PHONE_NEAR_TEXTS);
    return PiiSample.fill("phone", kind, true, template, plain(contacts.phoneNearMiss(kind)));
  }

  private PiiSample ssn(int i) {
    String[] p = numbers.ssn();
    if (i % 5 == 4) {
      String template = pick(List.of("SSN: {}", "Her social security no. is {}.", "SSN {} (on file)"));
      return PiiSample.fill("us_ssn", "bare_with_word", false, template, pii(PiiEntity.US_SSN, String.join("", p)));
    }
    boolean spaces = i % 5 == 3;
    String value = String.join(spaces ? " " : "-", p);
    return withName("us_ssn", spaces ? "spaces" : "dashes", false, pick(SSN_TEXTS), pii(PiiEntity.US_SSN, value));
  }

  private PiiSample ssnNearMiss(int i) {
    String kind = List.of("area_000", "area_666", "area_9xx", "group_00", "serial_0000", "published",
        "bare_no_word", "mixed_separators").get(i % 8);
    String value = switch (kind) {
      case "bare_no_word" -> String.join("", numbers.ssn());
      case "mixed_separators" -> {
        String[] p = numbers.ssn();
        yield p[0] + "-" + p[1] + " " + p[2];
      }
      default -> String.join("-", numbers.ssnNeverIssued(kind));
    };
    String template = kind.equals("bare_no_word")
        ? pick(List.of("Routing number {} for the transfer.", "Ticket {} was closed.", "Batch {} failed QA."))
        : pick(SSN_TEXTS);
    return withName("us_ssn", kind, true, template, plain(value));
  }

  private PiiSample ip(int i) {
    boolean v6 = i % 3 == 2;
    String value = v6 ? contacts.ipv6() : contacts.ipv4();
    String template = !v6 && i % 4 == 0 ? pick(IP_EXTRA_TEXTS) : pick(IP_TEXTS);
    return PiiSample.fill("ip_address", v6 ? "ipv6" : "ipv4", false, template, pii(PiiEntity.IP_ADDRESS, value));
  }

  private PiiSample ipNearMiss(int i) {
    String kind = List.of("octet_over_255", "leading_zero", "five_parts", "three_parts", "mac", "time", "bad_ipv6",
        "version", "version_bare", "outline_number").get(i % 10);
    String value = contacts.ipNearMiss(kind.startsWith("version") || kind.equals("outline_number") ? "version" : kind);
    String template = switch (kind) {
      case "version" -> pick(List.of("Upgrade to version {} today.", "Running v{} in production.",
          "Build {} passed all checks.", "Release: {}"));
      case "version_bare" -> pick(List.of("Upgraded the agent to {} last night.", "It broke after {}."));
      case "outline_number" -> pick(List.of("See section {} of the agreement.", "As set out in clause {}, the"
          + " supplier pays.", "Paragraph {} was struck out."));
      case "mac" -> "Device MAC {} joined the network.";
      case "time" -> "The job started at {} and ran for an hour.";
      default -> pick(IP_TEXTS);
    };
    return PiiSample.fill("ip_address", kind, true, template, plain(value));
  }

  private PiiSample mixed() {
    String name = pick(SyntheticContacts.FIRST) + " " + pick(SyntheticContacts.LAST);
    Issuer issuer = pick(SyntheticNumbers.ISSUERS);
    Country country = pick(SyntheticNumbers.COUNTRIES);
    return switch (random.nextInt(4)) {
      case 0 -> PiiSample.fill("mixed", "contact_card", false, "Hi, I'm {}. Email {} or call {}; card {}.",
          plain(name), pii(PiiEntity.EMAIL, contacts.email()), pii(PiiEntity.PHONE,
              contacts.phone(pick(SyntheticContacts.REGIONS))),
          pii(PiiEntity.CREDIT_CARD, numbers.printed(numbers.card(issuer), issuer.amexLayout())));
      case 1 -> PiiSample.fill("mixed", "payroll", false, "Employee {}, SSN {}, salary to {}, mail {}.", plain(name),
          pii(PiiEntity.US_SSN, String.join("-", numbers.ssn())),
          pii(PiiEntity.IBAN, numbers.printedIban(numbers.iban(country))), pii(PiiEntity.EMAIL, contacts.email()));
      case 2 -> PiiSample.fill("mixed", "incident", false,
          "User {} logged in from {} on 2024-03-15 10:42, then from {}; version 4.2.1 of the app.",
          pii(PiiEntity.EMAIL, contacts.email()), pii(PiiEntity.IP_ADDRESS, contacts.ipv4()),
          pii(PiiEntity.IP_ADDRESS, contacts.ipv6()));
      default -> PiiSample.fill("mixed", "order", false,
          "Order 4471-2209 for {}: ${}.99, ship to ZIP 94103, phone {}, paid by {}.", plain(name),
          plain(String.valueOf(10 + random.nextInt(900))), pii(PiiEntity.PHONE,
              contacts.phone(contacts.region("us"))),
          pii(PiiEntity.CREDIT_CARD, numbers.printed(numbers.card(issuer), issuer.amexLayout())));
    };
  }

  /** Fills a template whose extra first marker, if it has two, takes a person's name. */
  private PiiSample withName(String subject, String kind, boolean nearMiss, String template, Slot value) {
    if (template.indexOf("{}") != template.lastIndexOf("{}")) {
      String name = pick(SyntheticContacts.FIRST) + " " + pick(SyntheticContacts.LAST);
      return PiiSample.fill(subject, kind, nearMiss, template, plain(name), value);
    }
    return PiiSample.fill(subject, kind, nearMiss, template, value);
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
