package dev.spillway.core.guard.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The stretches of a text worth handing to libphonenumber for one default region: short windows around the clusters
 * of digits that hold enough digits to be a valid phone number, so that {@link PhoneRecognizer} never scans the prose
 * between them (libphonenumber's scan costs microseconds per candidate, and a four-digit year is a candidate).
 *
 * <p>Why a window gives what a scan of the whole text gives. libphonenumber's candidates ({@code PhoneNumberMatcher})
 * are runs of digits joined by at most four punctuation characters, or by an extension prefix ({@code ;ext=}, {@code
 * ext.}, {@code extensión}, {@code x}, {@code #}...: at most ten characters besides spaces, tabs, commas and hyphens,
 * which it repeats at will), with at most ten lead characters ({@code (}, {@code +}, punctuation) before the first
 * digit; a candidate is judged on its own characters, the one before it and the three after it. So this class joins
 * runs of digits into one cluster unless more than {@value #MAX_BRIDGE} characters other than those repeatable ones
 * stand between them: no candidate spans two clusters, and the scan reaches each cluster in the same state however
 * much text lies before it. A window is a cluster and {@value #BEFORE} characters before it and {@value #AFTER} after
 * it (lead characters and context); overlapping windows are merged. Digits are what the pattern's {@code \p{Nd}}
 * takes, any script's; a surrogate counts too, which errs towards a window.
 *
 * <p>Which clusters: a valid number has at least the fewest digits its numbering plan allows: the shortest national
 * significant number of the default region (and of the regions sharing its country code) when written without a
 * country code, or the country code and the shortest number of its plan when written with one, six for Austria's
 * {@code +43} and four-digit numbers. A cluster with fewer digits than the smallest of these, {@link #minDigits()}
 * (six for {@code US}), cannot hold a valid number and is skipped. So is a cluster whose every digit lies inside a
 * span already claimed by an entity of higher precedence (a card number, an IBAN, an e-mail address): whatever
 * libphonenumber found there would overlap that span and be dropped.
 */
final class PhoneWindows {
  /** The longest bridge a candidate makes between two digits, repeatable characters aside: {@code extensión:}. */
  static final int MAX_BRIDGE = 10;
  /** Lead characters (at most ten) and the character before a candidate, which libphonenumber reads. */
  static final int BEFORE = 16;
  /** The closing {@code #} of an extension, the character after a candidate and a time's {@code :30}. */
  static final int AFTER = 8;

  /** One window: {@code start} inclusive, {@code end} exclusive. */
  record Window(int start, int end) {}

  private final int minDigits;

  /** @param region an upper-case region libphonenumber supports */
  PhoneWindows(String region) {
    this.minDigits = minDigits(region);
  }

  /** The fewest digits a valid number read with this default region can have. */
  int minDigits() {
    return minDigits;
  }

  /**
   * The windows of {@code text} to scan, in order and not overlapping, skipping the clusters whose every digit lies
   * in one of {@code claimed} (ordered by start).
   */
  List<Window> of(CharSequence text, List<PiiSpan> claimed) {
    List<Window> windows = new ArrayList<>();
    int n = text.length();
    int nextClaim = 0;
    int start = -1; // the cluster's first digit, or -1 between clusters
    int end = 0; // after its last digit
    int digits = 0;
    int bridge = 0;
    boolean allClaimed = true;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (nd(c)) {
        if (start < 0) {
          start = i;
          digits = 0;
          allClaimed = true;
        }
        while (nextClaim < claimed.size() && claimed.get(nextClaim).end() <= i) {
          nextClaim++;
        }
        allClaimed &= nextClaim < claimed.size() && claimed.get(nextClaim).start() <= i;
        digits++;
        end = i + 1;
        bridge = 0;
      } else if (start >= 0 && !repeatable(c) && ++bridge > MAX_BRIDGE) {
        add(windows, start, end, digits, allClaimed, n);
        start = -1;
      }
    }
    if (start >= 0) {
      add(windows, start, end, digits, allClaimed, n);
    }
    return windows;
  }

  private void add(List<Window> windows, int start, int end, int digits, boolean allClaimed, int n) {
    if (digits < minDigits || allClaimed) {
      return;
    }
    int from = Math.max(0, start - BEFORE);
    int to = Math.min(n, end + AFTER);
    int last = windows.size() - 1;
    if (last >= 0 && windows.get(last).end() >= from) {
      windows.set(last, new Window(windows.get(last).start(), to));
    } else {
      windows.add(new Window(from, to));
    }
  }

  /** A digit of any script ({@code \p{Nd}}), or half of a character outside the BMP, which may be one. */
  private static boolean nd(char c) {
    return c < 128 ? c >= '0' && c <= '9' : Character.isDigit(c) || Character.isSurrogate(c);
  }

  /** What libphonenumber's extension prefixes repeat without bound: spaces, no-break spaces, tabs, commas, hyphens. */
  private static boolean repeatable(char c) {
    return c == ' ' || c == '\u00a0' || c == '\t' || c == ',' || c == '-';
  }

  private static int minDigits(String region) {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    MetadataSource plans = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    int national = Integer.MAX_VALUE;
    for (String r : util.getRegionCodesForCountryCode(util.getCountryCodeForRegion(region))) {
      national = Math.min(national, shortest(plans.getMetadataForRegion(r).getGeneralDesc().getPossibleLengthList()));
    }
    int international = Integer.MAX_VALUE;
    for (String r : util.getSupportedRegions()) {
      var plan = plans.getMetadataForRegion(r);
      international = Math.min(international, String.valueOf(plan.getCountryCode()).length()
          + shortest(plan.getGeneralDesc().getPossibleLengthList()));
    }
    for (int code : util.getSupportedGlobalNetworkCallingCodes()) {
      var plan = plans.getMetadataForNonGeographicalRegion(code);
      international = Math.min(international, String.valueOf(code).length()
          + shortest(plan.getGeneralDesc().getPossibleLengthList()));
    }
    return Math.min(national, international);
  }

  /** The shortest of a plan's lengths; a plan listing none is bounded by libphonenumber's shortest number, 2. */
  private static int shortest(List<Integer> lengths) {
    return lengths.isEmpty() ? 2 : Collections.min(lengths);
  }
}
