package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Chars.at;
import static dev.spillway.core.guard.pii.Chars.digit;
import static dev.spillway.core.guard.pii.Chars.word;

import java.util.ArrayList;
import java.util.List;

/**
 * Payment card numbers: 13 to 19 digits that pass the Luhn check and fit an issuer's prefix and length
 * ({@link CardIssuer}).
 *
 * <p>Written plain ({@code 4111111111111111}) or grouped by single spaces or single dashes, one kind per number, in the
 * layouts cards are printed in: groups of four with a shorter last group ({@code 4111 1111 1111 1111}, {@code 6011-
 * 0009-9013-9424-123}), or 4-6-5 and 4-6-4 (American Express, Diners Club).
 *
 * <p>A number is never cut out of a longer token. Digit groups joined by the separator are read as one run, and a
 * run touching a letter, a digit or an underscore, or joined to another digit by {@code .} or {@code ,} (a decimal, a
 * price), is not looked at ({@code XX74 3802 3974 7584 0777 06} is a bank account, not a card after {@code XX74}). A
 * group followed by {@code /} or {@code :} and a digit ends the run before it: {@code 4111 1111 1111 1111 12/27} is a
 * card and an expiry date. A run that has a card's shape (13 to 19 digits in a card layout) is judged whole: a 19-digit
 * number whose checksum fails is not a 16-digit card with three digits after it. A longer run is searched for cards
 * from its start, the longest first, so two cards in a row give two, and {@code 1234 4111 1111 1111 1111} gives none.
 *
 * <p>Product codes: an EAN-13 barcode of the German range ({@code 400}–{@code 440}) has a Visa prefix and a Visa
 * length and passes the Luhn check one time in ten. A number with {@code EAN}, {@code GTIN}, {@code UPC}, {@code
 * barcode}, {@code ISBN} or {@code SKU} within {@value #BARCODE_WINDOW} characters before it is not taken for a card.
 */
public final class CreditCardRecognizer implements PiiRecognizer {
  private static final int MIN_DIGITS = 13;
  private static final int MAX_DIGITS = 19;
  static final int BARCODE_WINDOW = 20;
  private static final String[] BARCODE_WORDS = {"ean", "gtin", "upc", "barcode", "isbn", "sku"};

  @Override
  public PiiEntity entity() {
    return PiiEntity.CREDIT_CARD;
  }

  @Override
  public List<PiiSpan> find(CharSequence text) {
    List<PiiSpan> found = new ArrayList<>();
    List<int[]> groups = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      if (!digit(text.charAt(i)) || digit(at(text, i - 1))) {
        i++;
        continue;
      }
      groups.clear();
      char sep = 0;
      int p = i;
      while (true) {
        int end = p;
        while (end < n && digit(text.charAt(end))) {
          end++;
        }
        char c = at(text, end);
        if (groups.size() > 0 && (c == '/' || c == ':') && digit(at(text, end + 1))) {
          break; // "12/27", "10:30": a date or a time after the number, not a group of it
        }
        groups.add(new int[] {p, end});
        if ((c == ' ' || c == '-') && (sep == 0 || c == sep) && digit(at(text, end + 1))) {
          sep = c;
          p = end + 1;
        } else {
          break;
        }
      }
      if (bounded(text, groups.get(0)[0], true) && bounded(text, groups.get(groups.size() - 1)[1], false)) {
        int all = groups.size();
        int digits = groups.get(all - 1)[1] - groups.get(0)[0] - (all - 1);
        if (digits >= MIN_DIGITS && digits <= MAX_DIGITS && layout(groups, 0, all)) {
          if (valid(text, groups, 0, all, digits) && !Chars.precededBy(text, i, BARCODE_WINDOW, BARCODE_WORDS)) {
            found.add(new PiiSpan(groups.get(0)[0], groups.get(all - 1)[1]));
          }
        } else {
          windows(text, groups, 0, all, found);
        }
      }
      i = groups.get(groups.size() - 1)[1];
    }
    return found;
  }

  /**
   * The longest valid window of whole groups starting at group {@code from}, then the longest right after it, and so
   * on, within groups {@code [from, to)}, stopping at the first start without one.
   */
  private static void windows(CharSequence text, List<int[]> groups, int from, int to, List<PiiSpan> found) {
    int a = from;
    while (a < to) {
      int best = -1;
      int digits = 0;
      for (int b = a; b < to; b++) {
        digits += groups.get(b)[1] - groups.get(b)[0];
        if (digits > MAX_DIGITS) {
          break;
        }
        if (digits >= MIN_DIGITS && layout(groups, a, b + 1) && valid(text, groups, a, b + 1, digits)) {
          best = b;
        }
      }
      if (best < 0) {
        return;
      } else {
        found.add(new PiiSpan(groups.get(a)[0], groups.get(best)[1]));
        a = best + 1;
      }
    }
  }

  /** Whether a run edge ({@code start} of its first group or {@code end} of its last) is not inside a longer token. */
  private static boolean bounded(CharSequence text, int pos, boolean start) {
    char outside = start ? at(text, pos - 1) : at(text, pos);
    char beyond = start ? at(text, pos - 2) : at(text, pos + 1);
    return !word(outside) && !((outside == '.' || outside == ',') && digit(beyond));
  }

  /** Plain, groups of four with a shorter last one, or 4-6-5 / 4-6-4. */
  private static boolean layout(List<int[]> groups, int a, int b) {
    int k = b - a;
    if (k == 1) {
      return true;
    }
    if (k == 3 && len(groups, a) == 4 && len(groups, a + 1) == 6) {
      int lastLen = len(groups, a + 2);
      if (lastLen == 5 || lastLen == 4) {
        return true;
      }
    }
    for (int g = a; g < b - 1; g++) {
      if (len(groups, g) != 4) {
        return false;
      }
    }
    return len(groups, b - 1) <= 4;
  }

  private static int len(List<int[]> groups, int g) {
    return groups.get(g)[1] - groups.get(g)[0];
  }

  private static boolean valid(CharSequence text, List<int[]> groups, int a, int b, int digits) {
    StringBuilder d = new StringBuilder(digits);
    for (int g = a; g < b; g++) {
      d.append(text, groups.get(g)[0], groups.get(g)[1]);
    }
    return CardIssuer.luhn(d) && CardIssuer.of(d).isPresent();
  }
}
