package dev.spillway.core.guard.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 */
public final class PhoneRecognizer implements PiiRecognizer {
  static final int CONTEXT_WINDOW = 30;
  private static final String[] CONTEXT = {
    "phone", "tel", "call", "mobile", "cell", "fax", "sms", "text", "whatsapp", "dial", "reach", "contact"
  };
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private final String region;

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
    List<PiiSpan> found = new ArrayList<>();
    for (PhoneNumberMatch m : UTIL.findNumbers(text, region, Leniency.VALID, Long.MAX_VALUE)) {
      if (bare(m.rawString()) && !Chars.precededBy(text, m.start(), CONTEXT_WINDOW, CONTEXT)) {
        continue;
      }
      found.add(new PiiSpan(m.start(), m.end()));
    }
    return found;
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
