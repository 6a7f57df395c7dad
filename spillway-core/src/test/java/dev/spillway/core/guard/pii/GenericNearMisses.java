package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.PiiSample.Slot.plain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Texts full of numbers that are no one's personal data: dates, times, ZIP codes, prices, order and invoice numbers,
 * parcel tracking numbers (UPS, USPS, FedEx), ISBNs, EAN barcodes, coordinates, version numbers. Each kind appears
 * {@value #PER_KIND} times with fresh values; any finding in them is a false positive.
 */
final class GenericNearMisses {
  static final int PER_KIND = 20;

  private record Kind(String name, String template, Supplier<String> value) {}

  private final Random random;
  private final SyntheticNumbers numbers;

  GenericNearMisses(Random random, SyntheticNumbers numbers) {
    this.random = random;
    this.numbers = numbers;
  }

  List<PiiSample> all() {
    List<PiiSample> out = new ArrayList<>();
    for (Kind k : kinds()) {
      for (int i = 0; i < PER_KIND; i++) {
        out.add(PiiSample.fill("other", k.name(), true, k.template(), plain(k.value().get())));
      }
    }
    return out;
  }

  private List<Kind> kinds() {
    return List.of(
        new Kind("date_iso", "The contract starts on {}.", () -> String.format(Locale.ROOT, "%d-%02d-%02d",
            2000 + random.nextInt(30), 1 + random.nextInt(12), 1 + random.nextInt(28))),
        new Kind("date_us", "Due {} at the latest.", () -> String.format(Locale.ROOT, "%02d/%02d/%d",
            1 + random.nextInt(12), 1 + random.nextInt(28), 2000 + random.nextInt(30))),
        new Kind("date_eu", "Lieferung am {} erwartet.", () -> String.format(Locale.ROOT, "%02d.%02d.%d",
            1 + random.nextInt(28), 1 + random.nextInt(12), 2000 + random.nextInt(30))),
        new Kind("time", "The meeting moved to {} tomorrow.", () -> String.format(Locale.ROOT, "%02d:%02d",
            random.nextInt(24), random.nextInt(60))),
        new Kind("zip", "Ship to {}, apartment 4B.", () -> "Springfield, IL " + numbers.digits(5)),
        new Kind("zip_plus_4", "Our mailing ZIP is {}.", () -> numbers.digits(5) + "-" + numbers.digits(4)),
        new Kind("price", "Total due: {} incl. VAT.", () -> pick(List.of(
            String.format(Locale.ROOT, "$%,d.%02d", 100 + random.nextInt(99_900), random.nextInt(100)),
            String.format(Locale.ROOT, "EUR %d.%03d,%02d", 1 + random.nextInt(99), random.nextInt(1000),
                random.nextInt(100))))),
        new Kind("order_amazon", "Your order {} has shipped.", () -> numbers.digits(3) + "-" + numbers.digits(7)
            + "-" + numbers.digits(7)),
        new Kind("order_grouped", "Order number {} is confirmed.", () -> numbers.digits(4) + " " + numbers.digits(4)
            + " " + numbers.digits(4)),
        new Kind("invoice", "Please pay invoice {} within 30 days.", () -> "INV-" + (2015 + random.nextInt(12))
            + "-" + numbers.digits(6)),
        new Kind("tracking_ups", "UPS tracking: {}", () -> "1Z" + alnum(6) + numbers.digits(10)),
        new Kind("tracking_usps", "USPS tracking number {}.", () -> ("94" + numbers.digits(20))
            .replaceAll("(.{4})(?!$)", "$1 ")),
        new Kind("tracking_fedex", "FedEx {} will arrive Monday.", () -> numbers.digits(4) + " " + numbers.digits(4)
            + " " + numbers.digits(4)),
        new Kind("isbn", "ISBN {} (paperback)", () -> "978-" + (random.nextInt(9)) + "-" + numbers.digits(3) + "-"
            + numbers.digits(5) + "-" + random.nextInt(10)),
        new Kind("ean", "Barcode EAN {} on the box.", () -> ean13(pick(List.of("400", "401", "50", "590", "871")))),
        new Kind("coordinates", "Meet at {}.", () -> String.format(Locale.ROOT, "%.4f, %.4f",
            -90 + 180 * random.nextDouble(), -180 + 360 * random.nextDouble())),
        new Kind("semver", "Bump the library to {}.", () -> (1 + random.nextInt(9)) + "." + random.nextInt(30) + "."
            + random.nextInt(30)),
        new Kind("quantity", "We shipped {} units last quarter.", () -> String.format(Locale.ROOT, "%,d",
            1_000_000 + random.nextInt(900_000_000))),
        new Kind("account_ref", "Customer ID {} has no open tickets.", () -> numbers.digits(12)),
        new Kind("serial_number", "Serial no. {} is out of warranty.", () -> "SN" + numbers.digits(4) + "-"
            + alnum(4) + "-" + numbers.digits(4)));
  }

  /** An EAN-13 barcode with its mod-10 (weights 1 and 3) check digit. */
  private String ean13(String prefix) {
    String body = prefix + numbers.digits(12 - prefix.length());
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (body.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return body + (char) ('0' + (10 - sum % 10) % 10);
  }

  private String alnum(int n) {
    String chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(chars.charAt(random.nextInt(chars.length())));
    }
    return b.toString();
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
