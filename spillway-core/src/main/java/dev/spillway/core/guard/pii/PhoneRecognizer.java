package dev.spillway.core.guard.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Phone numbers, found by Google's libphonenumber ({@code PhoneNumberUtil.findNumbers}) with leniency {@code VALID}:
 * a candidate counts when it is a valid number of its region's numbering plan (right length, an assigned prefix), not
 * merely a plausible digit count. A number written with a {@code +} and its country code is read in that country;
 * one without is read in the default region ({@code US} unless configured), so {@code 020 7946 0958} is found with
 * region {@code GB} and not with {@code US}.
 *
 * <p>Bare digit runs: libphonenumber takes a run of digits with no {@code +}, spaces or punctuation ({@code
 * 4155550123}, {@code 14155550123}) as a number whenever it is valid in the default region, and a ten-digit order or
 * account number often is (a valid area code and exchange is all a US number needs). This recognizer keeps such a
 * run only when a word naming a phone comes within {@value #CONTEXT_WINDOW} characters before it ({@code phone},
 * {@code tel}, {@code call}, {@code mobile}, {@code cell}, {@code fax}, {@code sms}, {@code text}, {@code whatsapp},
 * {@code dial}, {@code reach}, {@code contact}); a run with a {@code +} or any grouping is kept as libphonenumber
 * found it.
 *
 * <p>A national number (no {@code +}) written in groups must be grouped the way its region writes it (the breaks of
 * libphonenumber's national format; groups may be merged, not split elsewhere): {@code 212.736.4100} and {@code 212
 * 7364100} are phone numbers, while {@code 6305 4498 15} in a mistyped IBAN and the FedEx number {@code 1160 9358 5444}
 * are not, though their digits are valid US numbers. This is libphonenumber's own {@code STRICT_GROUPING} idea applied
 * to national numbers only; numbers with a {@code +} keep {@code VALID}, as international numbers are grouped every
 * which way ({@code +49 30 9018 20}).
 *
 * <p>Two more refusals, for what libphonenumber reads as a number inside something else: a match glued to the rest of
 * a token by {@code -}, {@code .}, {@code /} or {@code _} ({@code INV-2024-525703}: {@code 2024-525703} is a valid
 * Washington number), and a match written as four dot-separated groups of one to three digits, the shape of an IPv4
 * address ({@code 154.07.159.116}, not a valid address for its leading zero, is a valid US number).
 *
 * <p>Cost: libphonenumber's scan is the dearest of the recognizers by far, tens of microseconds for a sentence with
 * numbers in it and more for long digit runs (bench/results/guard-pii.md), and every four-digit year is a candidate
 * it parses. So it never scans the whole text: it runs over the short windows around the clusters of digits that
 * could hold a valid number ({@link PhoneWindows}), with offsets mapped back, and the tests above read the whole text.
 * The windows give the same numbers as a scan of the whole text; under {@link PiiCheck}, clusters inside a span
 * already claimed by an entity of higher precedence are skipped as well.
 */
public final class PhoneRecognizer implements PiiRecognizer {
  static final int CONTEXT_WINDOW = 30;
  private static final String[] CONTEXT = {
    "phone", "tel", "call", "mobile", "cell", "fax", "sms", "text", "whatsapp", "dial", "reach", "contact"
  };
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final String JOINERS = "-./_";
  private static final Pattern IP_SHAPED = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");

  private final String region;
  private final PhoneWindows windows;

  /**
   * @param region the ISO 3166-1 alpha-2 region numbers without a country code are read in ({@code US}, {@code GB});
   *     any case
   * @throws IllegalArgumentException when libphonenumber has no numbering plan for it
   */
  public PhoneRecognizer(String region) {
    String upper = region.trim().toUpperCase(Locale.ROOT);
    if (!UTIL.getSupportedRegions().contains(upper)) {
      throw new IllegalArgumentException("'" + region + "' is not a region with a numbering plan (an ISO 3166-1"
          + " alpha-2 code such as US, GB, DE)");
    }
    this.region = upper;
    this.windows = new PhoneWindows(upper);
  }

  /** The region numbers without a country code are read in. */
  public String region() {
    return region;
  }

  @Override
  public PiiEntity entity() {
    return PiiEntity.PHONE;
  }

  @Override
  public List<PiiSpan> find(CharSequence text) {
    return find(text, List.of());
  }

  /** Skips the clusters of digits inside {@code claimed} altogether, and drops any match that overlaps one. */
  @Override
  public List<PiiSpan> find(CharSequence text, List<PiiSpan> claimed) {
    List<PiiSpan> found = new ArrayList<>();
    String s = text.toString();
    for (PhoneWindows.Window w : windows.of(s, claimed)) {
      for (PhoneNumberMatch m : libphonenumberScan(s.substring(w.start(), w.end()))) {
        PiiSpan span = new PiiSpan(w.start() + m.start(), w.start() + m.end());
        if (kept(s, span, m) && claimed.stream().noneMatch(span::overlaps)) {
          found.add(span);
        }
      }
    }
    return found;
  }

  /** libphonenumber's own scan of {@code text} for numbers valid in this recognizer's region. */
  Iterable<PhoneNumberMatch> libphonenumberScan(CharSequence text) {
    return UTIL.findNumbers(text, region, Leniency.VALID, Long.MAX_VALUE);
  }

  /** Whether a number libphonenumber found at {@code span} of {@code text} passes this recognizer's own tests. */
  static boolean kept(CharSequence text, PiiSpan span, PhoneNumberMatch m) {
    String raw = m.rawString();
    return !(bare(raw) && !Chars.precededBy(text, span.start(), CONTEXT_WINDOW, CONTEXT)
        || joined(text, span.start(), span.end()) || IP_SHAPED.matcher(raw).matches()
        || raw.charAt(0) != '+' && !groupedAsWritten(raw, m.number()));
  }

  /** Whether the match is glued to the rest of a token: {@code INV-2024-525703}, {@code build.2127364100}. */
  private static boolean joined(CharSequence text, int start, int end) {
    char before = Chars.at(text, start - 1);
    char after = Chars.at(text, end);
    return (JOINERS.indexOf(before) >= 0 && Chars.alnum(Chars.at(text, start - 2)))
        || (JOINERS.indexOf(after) >= 0 && Chars.alnum(Chars.at(text, end + 1)));
  }

  /**
   * Whether the digit groups of a national number fall where the region's own format puts them: every break between
   * groups of {@code raw}, counted in digits from the end, is a break of the national format, or lies in the prefixes
   * before the national significant number (a trunk {@code 1}, an international {@code 00 44}). Groups may be merged
   * ({@code 212 7364100}) but not split elsewhere ({@code 6305 4498 15}).
   */
  static boolean groupedAsWritten(String raw, PhoneNumber number) {
    List<Integer> allowed = breaksFromEnd(UTIL.format(number, PhoneNumberFormat.NATIONAL));
    int significant = UTIL.getNationalSignificantNumber(number).length();
    List<Integer> written = breaksFromEnd(raw);
    written.remove(written.size() - 1);
    for (int b : written) {
      if (b < significant && !allowed.contains(b)) {
        return false;
      }
    }
    return true;
  }

  /** The positions, in digits from the end, where one digit group of {@code s} ends and the next begins; the last
   * entry is the total number of digits. */
  private static List<Integer> breaksFromEnd(String s) {
    List<Integer> breaks = new ArrayList<>();
    int digits = 0;
    boolean inGroup = false;
    for (int k = s.length() - 1; k >= 0; k--) {
      boolean d = Chars.digit(s.charAt(k));
      if (d && !inGroup && digits > 0) {
        breaks.add(digits);
      }
      digits += d ? 1 : 0;
      inGroup = d;
    }
    breaks.add(digits);
    return breaks;
  }

  private static boolean bare(String raw) {
    for (int k = 0; k < raw.length(); k++) {
      if (!Chars.digit(raw.charAt(k))) {
        return false;
      }
    }
    return true;
  }
}
