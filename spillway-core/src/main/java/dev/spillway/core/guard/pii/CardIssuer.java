package dev.spillway.core.guard.pii;

import java.util.Optional;

/**
 * The card issuers whose numbers {@link CreditCardRecognizer} accepts: each with its issuer identification number
 * (IIN) prefixes and the lengths its numbers have. A Luhn-valid digit run that matches no row is not a card number for
 * this check; that is most of the precision against order and tracking numbers, which pass Luhn one time in ten.
 *
 * <table>
 *   <caption>Issuer prefixes and lengths</caption>
 *   <tr><th>issuer</th><th>prefixes (IIN)</th><th>lengths</th></tr>
 *   <tr><td>Visa</td><td>4</td><td>13, 16, 19</td></tr>
 *   <tr><td>Mastercard</td><td>51–55, 2221–2720 (the 2-series)</td><td>16</td></tr>
 *   <tr><td>American Express</td><td>34, 37</td><td>15</td></tr>
 *   <tr><td>Discover</td><td>6011, 644–649, 65, 622126–622925</td><td>16–19</td></tr>
 *   <tr><td>Diners Club</td><td>300–305, 3095, 36, 38–39</td><td>14–19</td></tr>
 *   <tr><td>JCB</td><td>3528–3589</td><td>16–19</td></tr>
 *   <tr><td>UnionPay</td><td>62, 8100–8171</td><td>16–19</td></tr>
 *   <tr><td>Maestro</td><td>5018, 5020, 5038, 5893, 6304, 6759, 6761–6763</td><td>13–19</td></tr>
 * </table>
 *
 * <p>Rows are tried in order and the first whose prefix and length fit names the issuer; the 622126–622925 range,
 * shared by Discover and UnionPay, is named Discover. Maestro's 12-digit numbers are below the recognizer's 13-digit
 * floor and are not looked for.
 */
public enum CardIssuer {
  VISA(new int[] {13, 16, 19}, "4"),
  MASTERCARD(new int[] {16}, "51-55", "2221-2720"),
  AMEX(new int[] {15}, "34", "37"),
  DISCOVER(range(16, 19), "6011", "644-649", "65", "622126-622925"),
  DINERS(range(14, 19), "300-305", "3095", "36", "38-39"),
  JCB(range(16, 19), "3528-3589"),
  UNIONPAY(range(16, 19), "62", "8100-8171"),
  MAESTRO(range(13, 19), "5018", "5020", "5038", "5893", "6304", "6759", "6761-6763");

  private final int[] lengths;
  private final String[] prefixes;

  CardIssuer(int[] lengths, String... prefixes) {
    this.lengths = lengths;
    this.prefixes = prefixes;
  }

  /** The issuer of a card number of ASCII digits, if its prefix and length fit a row. */
  public static Optional<CardIssuer> of(CharSequence digits) {
    for (CardIssuer issuer : values()) {
      if (issuer.fits(digits)) {
        return Optional.of(issuer);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code digits} has one of this issuer's lengths and prefixes. */
  public boolean fits(CharSequence digits) {
    boolean lengthFits = false;
    for (int n : lengths) {
      lengthFits |= n == digits.length();
    }
    if (!lengthFits) {
      return false;
    }
    for (String p : prefixes) {
      int dash = p.indexOf('-');
      String lo = dash < 0 ? p : p.substring(0, dash);
      String hi = dash < 0 ? p : p.substring(dash + 1);
      long head = Long.parseLong(digits.subSequence(0, lo.length()).toString());
      if (head >= Long.parseLong(lo) && head <= Long.parseLong(hi)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the digits pass the Luhn (mod 10) check. */
  public static boolean luhn(CharSequence digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from + 1];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }
}
