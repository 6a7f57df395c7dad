package dev.spillway.core.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US Social Security numbers, {@code AAA-GG-SSSS}: area, group and serial joined by dashes or by spaces (the same
 * separator twice), or a bare run of nine digits when a word naming the number ({@code SSN}, {@code social
 * security}, {@code soc sec}, {@code SS#}, {@code SS no}) comes within {@value #CONTEXT_WINDOW} characters before it:
 * nine bare digits are as often a ZIP+4, a routing number or an order number.
 *
 * <p>Refused, as numbers the SSA never issues: area 000, 666 and 900–999 (the 9xx areas are ITINs and advertising
 * numbers), group 00, serial 0000. Refused as well, as numbers printed in public and used by thousands: 078-05-1120
 * (the wallet insert of 1938), 219-09-9999 (an SSA pamphlet), 457-55-5462 (a television advertisement), and the
 * placeholder 123-45-6789.
 *
 * <p>A number must stand alone: no letter, digit or underscore next to it, and not joined by a separator to another
 * digit group ({@code 12-123-45-6789}, {@code 123-45-6789-0} are something else).
 *
 * <p>Cost: the patterns are never run over the whole text. A match starts a run of ASCII digits (its look-behind
 * refuses a digit before it) and that run is three digits long (the area, then a separator) or nine (a bare number),
 * so one pass over the characters finds the runs and the patterns run only at the starts of runs of those lengths,
 * their look-arounds still seeing the text around (transparent bounds).
 */
public final class SsnRecognizer implements PiiRecognizer {
  static final int CONTEXT_WINDOW = 30;
  private static final String[] CONTEXT = {"ssn", "social security", "soc sec", "soc. sec", "ss#", "ss no", "ss-no"};
  private static final Set<String> PUBLIC = Set.of("078051120", "219099999", "457555462", "123456789");
  private static final String BEFORE = "(?<![A-Za-z0-9_])(?<![0-9][-., ])";
  private static final String AFTER = "(?![A-Za-z0-9_])(?![-., ][0-9])";
  private static final Pattern SEPARATED = Pattern.compile(BEFORE + "([0-9]{3})([- ])([0-9]{2})\\2([0-9]{4})" + AFTER);
  private static final Pattern BARE = Pattern.compile(BEFORE + "([0-9]{3})([0-9]{2})([0-9]{4})" + AFTER);

  @Override
  public PiiEntity entity() {
    return PiiEntity.US_SSN;
  }

  @Override
  public List<PiiSpan> find(CharSequence text) {
    List<PiiSpan> found = new ArrayList<>();
    int n = text.length();
    Matcher separated = null;
    Matcher bare = null;
    int i = 0;
    while (i < n) {
      if (!Chars.digit(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && Chars.digit(text.charAt(i))) {
        i++;
      }
      int run = i - start;
      if (run == 3) {
        separated = separated != null ? separated : matcherOver(SEPARATED, text);
        separated.region(start, Math.min(n, start + 11));
        if (separated.lookingAt() && issuable(separated.group(1), separated.group(3), separated.group(4))) {
          found.add(new PiiSpan(start, separated.end()));
        }
      } else if (run == 9) {
        bare = bare != null ? bare : matcherOver(BARE, text);
        bare.region(start, i);
        if (bare.lookingAt() && issuable(bare.group(1), bare.group(2), bare.group(3))
            && Chars.precededBy(text, start, CONTEXT_WINDOW, CONTEXT)) {
          found.add(new PiiSpan(start, i));
        }
      }
    }
    return found;
  }

  /** A matcher whose look-arounds see past the region it is run over. */
  private static Matcher matcherOver(Pattern pattern, CharSequence text) {
    return pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
  }

  /** Whether the SSA could have issued area-group-serial (three ASCII digit strings). */
  static boolean issuable(String area, String group, String serial) {
    int a = Integer.parseInt(area);
    return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000")
        && !PUBLIC.contains(area + group + serial);
  }
}
