package dev.spillway.core.guard.pii;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Made-up but well-formed card numbers, IBANs and SSNs for the PII evaluation, and their near misses, drawn from a
 * seeded {@link Random}. The rules are written here a second time, independently of the recognizers (the issuer
 * prefixes as printed by the networks, the IBAN check digits by {@link BigInteger}), so that the evaluation checks
 * the recognizers against the standards rather than against themselves.
 */
final class SyntheticNumbers {
  /** An issuer: its name, prefixes to draw from, the lengths it issues, and whether it prints 4-6-5 / 4-6-4. */
  record Issuer(String name, List<String> prefixes, List<Integer> lengths, boolean amexLayout) {}

  static final List<Issuer> ISSUERS = List.of(
      new Issuer("visa", List.of("4"), List.of(16, 16, 16, 13, 19), false),
      new Issuer("mastercard", List.of("51", "52", "53", "54", "55", "2221", "2307", "2500", "2720"), List.of(16),
          false),
      new Issuer("amex", List.of("34", "37"), List.of(15), true),
      new Issuer("discover", List.of("6011", "644", "649", "65"), List.of(16, 16, 19), false),
      new Issuer("diners", List.of("36", "300", "305", "38"), List.of(14), true),
      new Issuer("jcb", List.of("3528", "3540", "3589"), List.of(16, 16, 19), false),
      new Issuer("unionpay", List.of("62", "6240", "6282"), List.of(16, 19), false),
      new Issuer("maestro", List.of("6759", "5018", "5020", "6304", "6761"), List.of(16, 19), false));

  /** A country's IBAN: its code and BBAN layout ({@code n} digit, {@code a} upper-case letter, {@code c} either). */
  record Country(String code, String bban) {}

  static final List<Country> COUNTRIES = List.of(
      new Country("DE", "nnnnnnnnnnnnnnnnnn"), new Country("GB", "aaaannnnnnnnnnnnnn"),
      new Country("FR", "nnnnnnnnnncccccccccccnn"), new Country("NL", "aaaannnnnnnnnn"),
      new Country("ES", "nnnnnnnnnnnnnnnnnnnn"), new Country("IT", "annnnnnnnnncccccccccccc"),
      new Country("BE", "nnnnnnnnnnnn"), new Country("CH", "nnnnncccccccccccc"), new Country("AT", "nnnnnnnnnnnnnnnn"),
      new Country("PL", "nnnnnnnnnnnnnnnnnnnnnnnn"), new Country("SE", "nnnnnnnnnnnnnnnnnnnn"),
      new Country("NO", "nnnnnnnnnnn"), new Country("IE", "aaaannnnnnnnnnnnnn"),
      new Country("PT", "nnnnnnnnnnnnnnnnnnnnn"), new Country("FI", "nnnnnnnnnnnnnn"),
      new Country("DK", "nnnnnnnnnnnnnn"), new Country("LU", "nnnccccccccccccc"),
      new Country("GR", "nnnnnnncccccccccccccccc"), new Country("MT", "aaaannnnncccccccccccccccccc"),
      new Country("SA", "nncccccccccccccccccc"), new Country("BR", "nnnnnnnnnnnnnnnnnnnnnnnac"),
      new Country("TR", "nnnnnncccccccccccccccc"));

  private final Random random;

  SyntheticNumbers(Random random) {
    this.random = random;
  }

  // --- cards ---

  /** A Luhn-valid number of the issuer's. */
  String card(Issuer issuer) {
    String prefix = pick(issuer.prefixes());
    int length = pick(issuer.lengths());
    return withLuhnDigit(prefix + digits(length - 1 - prefix.length()));
  }

  /** The number as people write it: plain, in groups by spaces or by dashes. */
  String printed(String number, boolean amexLayout) {
    int style = random.nextInt(3);
    if (style == 0) {
      return number;
    }
    String sep = style == 1 ? " " : "-";
    if (amexLayout) {
      return number.substring(0, 4) + sep + number.substring(4, 10) + sep + number.substring(10);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < number.length(); i += 4) {
      b.append(i == 0 ? "" : sep).append(number, i, Math.min(number.length(), i + 4));
    }
    return b.toString();
  }

  /** A valid card with its check digit changed: the Luhn check fails. */
  String cardLuhnFails(Issuer issuer) {
    String good = card(issuer);
    int last = good.charAt(good.length() - 1) - '0';
    return good.substring(0, good.length() - 1) + (char) ('0' + (last + 1 + random.nextInt(9)) % 10);
  }

  /** A Luhn-valid 16-digit number that no issuer's prefix starts: 1, 7, 9, 0 or an 8 outside UnionPay's 81. */
  String cardNoIssuer() {
    String prefix = pick(List.of("1", "7", "9", "0", "80", "86"));
    return withLuhnDigit(prefix + digits(15 - prefix.length()));
  }

  /** A Luhn-valid Visa-prefixed number of a length Visa does not issue (14, 15, 17 or 18). */
  String cardWrongLength() {
    int length = pick(List.of(14, 15, 17, 18));
    return withLuhnDigit("4" + digits(length - 2));
  }

  static String withLuhnDigit(String body) {
    int sum = 0;
    for (int i = 0; i < body.length(); i++) {
      int d = body.charAt(body.length() - 1 - i) - '0';
      if (i % 2 == 0) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
    }
    return body + (char) ('0' + (10 - sum % 10) % 10);
  }

  // --- IBANs ---

  /** A valid IBAN of the country, without spaces, upper case. */
  String iban(Country c) {
    String bban = bban(c.bban());
    return c.code() + checkDigits(c.code(), bban) + bban;
  }

  private String bban(String layout) {
    StringBuilder b = new StringBuilder();
    for (char k : layout.toCharArray()) {
      b.append(switch (k) {
        case 'n' -> (char) ('0' + random.nextInt(10));
        case 'a' -> (char) ('A' + random.nextInt(26));
        default -> random.nextInt(3) == 0 ? (char) ('A' + random.nextInt(26)) : (char) ('0' + random.nextInt(10));
      });
    }
    return b.toString();
  }

  /** ISO 13616 check digits: 98 minus the remainder of BBAN + country + "00", letters as 10 to 35, mod 97. */
  static String checkDigits(String country, String bban) {
    StringBuilder numeric = new StringBuilder();
    for (char ch : (bban + country + "00").toCharArray()) {
      numeric.append(Character.isDigit(ch) ? String.valueOf(ch) : String.valueOf(ch - 'A' + 10));
    }
    int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
    return String.format(Locale.ROOT, "%02d", check);
  }

  /** The IBAN plain, in groups of four, or (one time in five) in groups of four in lower case. */
  String printedIban(String iban) {
    int style = random.nextInt(5);
    if (style < 2) {
      return iban;
    }
    String grouped = iban.replaceAll("(.{4})(?!$)", "$1 ");
    return style == 4 ? grouped.toLowerCase(Locale.ROOT) : grouped;
  }

  /** A valid IBAN with one BBAN digit changed: the checksum fails. */
  String ibanChecksumFails(Country c) {
    String good = iban(c);
    for (int i = good.length() - 1; i >= 4; i--) {
      char ch = good.charAt(i);
      if (Character.isDigit(ch)) {
        char other = (char) ('0' + (ch - '0' + 1 + random.nextInt(9)) % 10);
        return good.substring(0, i) + other + good.substring(i + 1);
      }
    }
    throw new IllegalStateException("no digit in the BBAN");
  }

  /** A valid IBAN with its last character dropped: too short for its country. */
  String ibanTooShort(Country c) {
    String good = iban(c);
    return good.substring(0, good.length() - 1);
  }

  /** An IBAN-shaped string with correct check digits for a country that issues no IBANs. */
  String ibanNoSuchCountry() {
    String code = pick(List.of("US", "CA", "AU", "JP", "XX", "ZZ"));
    String bban = bban("nnnnnnnnnnnnnnnnnn");
    return code + checkDigits(code, bban) + bban;
  }

  // --- SSNs ---

  /** An issuable SSN's three parts: area 001–899 but not 666, group 01–99, serial 0001–9999. */
  String[] ssn() {
    while (true) {
      int area = 1 + random.nextInt(899);
      String[] parts = {pad(area, 3), pad(1 + random.nextInt(99), 2), pad(1 + random.nextInt(9999), 4)};
      String joined = String.join("", parts);
      if (area != 666 && !List.of("078051120", "219099999", "457555462", "123456789").contains(joined)) {
        return parts;
      }
    }
  }

  /** Parts of a number the SSA never issues: a bad area, group 00, serial 0000, or a number printed in public. */
  String[] ssnNeverIssued(String why) {
    String[] p = ssn();
    return switch (why) {
      case "area_000" -> new String[] {"000", p[1], p[2]};
      case "area_666" -> new String[] {"666", p[1], p[2]};
      case "area_9xx" -> new String[] {pad(900 + random.nextInt(100), 3), p[1], p[2]};
      case "group_00" -> new String[] {p[0], "00", p[2]};
      case "serial_0000" -> new String[] {p[0], p[1], "0000"};
      case "published" -> pick(List.of("078-05-1120", "219-09-9999", "457-55-5462")).split("-");
      default -> throw new IllegalArgumentException(why);
    };
  }

  // --- helpers ---

  String digits(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }

  static String pad(int value, int width) {
    return String.format(Locale.ROOT, "%0" + width + "d", value);
  }

  <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
