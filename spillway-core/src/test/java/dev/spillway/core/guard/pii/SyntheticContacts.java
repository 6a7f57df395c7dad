package dev.spillway.core.guard.pii;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Made-up e-mail addresses, phone numbers and IP addresses for the PII evaluation, and their near misses, drawn from a
 * seeded {@link Random}. Phone numbers follow each region's real plan: area codes and mobile prefixes in service,
 * written the way the region writes them (the ranges were chosen from the regions' published numbering plans, not
 * from what the recognizer accepts).
 */
final class SyntheticContacts {
  static final List<String> FIRST = List.of("jane", "john", "maria", "li", "ahmed", "sofia", "lukas", "priya",
      "kenji", "olga", "pierre", "ana", "tom", "fatima", "noah", "emma");
  static final List<String> LAST = List.of("doe", "smith", "garcia", "wang", "khan", "rossi", "muller", "sharma",
      "tanaka", "ivanova", "martin", "silva", "brown", "haddad", "jones", "novak");
  private static final List<String> DOMAINS = List.of("example.com", "example.org", "mail.example.net",
      "acme-corp.co.uk", "uni.example.edu", "shop.example.de", "startup.io", "post.example.fr", "example.com.au");

  /** A region's international formats: {@code d} a digit, {@code N} a digit 2–9, anything else itself. */
  record Region(String name, List<String> formats) {}

  static final List<Region> REGIONS = List.of(
      new Region("us", List.of("(212) Ndd-dddd", "415-Ndd-dddd", "617.Ndd.dddd", "+1 312 Ndd dddd",
          "+1-702-Ndd-dddd", "1-212-Ndd-dddd", "+1 (415) Ndd-dddd")),
      new Region("ca", List.of("+1 416 Ndd dddd", "+1 (416) Ndd-dddd")),
      new Region("gb", List.of("+44 20 7ddd dddd", "+44 20 3ddd dddd", "+44 161 Ndd dddd", "+44 74dd dddddd",
          "+44 78dd dddddd")),
      new Region("de", List.of("+49 30 dddddddd", "+49 89 dddddddd", "+49 151 dddddddd", "+49 170 ddddddd")),
      new Region("fr", List.of("+33 1 dd dd dd dd", "+33 6 1d dd dd dd", "+33 6 7d dd dd dd")),
      new Region("in", List.of("+91 98ddd ddddd")),
      new Region("jp", List.of("+81 3-5ddd-dddd", "+81 3-6ddd-dddd", "+81 90-1ddd-dddd", "+81 80-dddd-dddd")),
      new Region("au", List.of("+61 2 9ddd dddd", "+61 41d ddd ddd", "+61 40d ddd ddd")),
      new Region("br", List.of("+55 11 9dddd-dddd", "+55 21 3ddd-dddd")),
      new Region("es", List.of("+34 91 ddd dd dd", "+34 6dd ddd ddd")),
      new Region("it", List.of("+39 06 dddd dddd")));

  private final Random random;

  SyntheticContacts(Random random) {
    this.random = random;
  }

  // --- e-mail ---

  String email() {
    String f = pick(FIRST);
    String l = pick(LAST);
    String local = switch (random.nextInt(6)) {
      case 0 -> f + "." + l;
      case 1 -> f.charAt(0) + l;
      case 2 -> f + "_" + l + random.nextInt(100);
      case 3 -> f + "+" + pick(List.of("news", "shop", "work"));
      case 4 -> f.toUpperCase(Locale.ROOT).charAt(0) + f.substring(1) + "." + l.toUpperCase(Locale.ROOT);
      default -> f + random.nextInt(2000);
    };
    return local + "@" + pick(DOMAINS);
  }

  /** Something shaped like an address that is not one. */
  String emailNearMiss(String kind) {
    String f = pick(FIRST);
    String l = pick(LAST);
    return switch (kind) {
      case "spelled_out" -> f + " at example dot com";
      case "handle" -> "@" + f + "_" + l;
      case "no_tld" -> f + "@" + pick(List.of("localhost", "intranet", "mailhost"));
      case "file_name" -> pick(List.of("icon", "logo", "banner", "avatar")) + "@" + pick(List.of("2x", "3x"))
          + "." + pick(List.of("png", "jpg", "webp", "svg"));
      case "package" -> "@" + f + "/" + l + "@" + (1 + random.nextInt(9)) + "." + random.nextInt(20) + ".0";
      case "double_at" -> f + "@@" + pick(DOMAINS);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  // --- phones ---

  Region region(String name) {
    return REGIONS.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  /** A number of the region in one of its formats. */
  String phone(Region region) {
    return fillDigits(pick(region.formats()));
  }

  /** A US number as ten bare digits: a valid area code and exchange. */
  String phoneBareUs() {
    return fillDigits(pick(List.of("212Ndddddd", "415Ndddddd", "617Ndddddd", "312Ndddddd")));
  }

  /** Something with a phone's digits that is not a valid number. */
  String phoneNearMiss(String kind) {
    return switch (kind) {
      case "seven_digits" -> fillDigits("Ndd-dddd");
      case "bad_area_code" -> fillDigits(pick(List.of("(123) Ndd-dddd", "(055) Ndd-dddd", "+1 199 Ndd dddd")));
      case "too_short" -> fillDigits(pick(List.of("+1 212 Ndd dd", "+44 20 7ddd dd", "+49 30 dd")));
      case "order_number" -> phoneBareUs();
      default -> throw new IllegalArgumentException(kind);
    };
  }

  String fillDigits(String format) {
    StringBuilder b = new StringBuilder();
    for (char c : format.toCharArray()) {
      b.append(c == 'd' ? (char) ('0' + random.nextInt(10)) : c == 'N' ? (char) ('2' + random.nextInt(8)) : c);
    }
    return b.toString();
  }

  // --- IP addresses ---

  String ipv4() {
    return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
        + random.nextInt(256);
  }

  String ipv6() {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = i < 2 && random.nextBoolean() ? (i == 0 ? 0x2001 : 0x0db8) : random.nextInt(0x10000);
    }
    return switch (random.nextInt(6)) {
      case 0 -> hexGroups(g, 0, 8, true);
      case 1 -> hexGroups(g, 0, 8, false).toUpperCase(Locale.ROOT);
      case 2 -> hexGroups(g, 0, 2, false) + "::" + hexGroups(g, 6, 8, false); // zeros in the middle
      case 3 -> "fe80::" + hexGroups(g, 4, 8, false);
      case 4 -> "::ffff:" + ipv4();
      default -> pick(List.of("::1", "2001:db8::" + Integer.toHexString(g[7]), "2001:db8:" + hexGroups(g, 2, 4,
          false) + "::"));
    };
  }

  private static String hexGroups(int[] g, int from, int to, boolean padded) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append(i == from ? "" : ":").append(padded ? String.format(Locale.ROOT, "%04x", g[i])
          : Integer.toHexString(g[i]));
    }
    return b.toString();
  }

  /** A dotted or coloned number that is not an address. */
  String ipNearMiss(String kind) {
    int a = 1 + random.nextInt(223);
    int b = random.nextInt(256);
    int c = random.nextInt(256);
    return switch (kind) {
      case "octet_over_255" -> (256 + random.nextInt(700)) + "." + b + "." + c + "." + random.nextInt(256);
      case "leading_zero" -> a + ".0" + (1 + random.nextInt(9)) + "." + c + "." + random.nextInt(256);
      case "five_parts" -> (1 + random.nextInt(9)) + "." + random.nextInt(20) + "." + random.nextInt(30) + "."
          + random.nextInt(9) + "." + random.nextInt(99);
      case "three_parts" -> a + "." + b + "." + c;
      case "mac" -> String.join(":", hex2(), hex2(), hex2(), hex2(), hex2(), hex2());
      case "time" -> String.format(Locale.ROOT, "%02d:%02d:%02d", random.nextInt(24), random.nextInt(60),
          random.nextInt(60));
      case "bad_ipv6" -> "2001:db8::" + Integer.toHexString(random.nextInt(0x10000)) + "::1";
      case "version" -> (1 + random.nextInt(12)) + "." + random.nextInt(10) + "." + random.nextInt(30) + "."
          + random.nextInt(200);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private String hex2() {
    return String.format(Locale.ROOT, "%02x", random.nextInt(256));
  }

  <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
