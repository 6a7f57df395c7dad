package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Chars.alnum;
import static dev.spillway.core.guard.pii.Chars.at;
import static dev.spillway.core.guard.pii.Chars.digit;
import static dev.spillway.core.guard.pii.Chars.letter;
import static dev.spillway.core.guard.pii.Chars.word;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * International bank account numbers: a country code, two check digits and the country's BBAN, exactly as long as
 * {@link IbanCountries} says, with the mod-97 remainder 1. Any case ({@code de89...} is read as {@code DE89...}).
 *
 * <p>Written plain ({@code DE89370400440532013000}) or in the print form, groups of four separated by single spaces
 * with a shorter last group ({@code DE89 3704 0044 0532 0130 00}). The number must stand alone: no letter, digit or
 * underscore right before it or right after its last character. The BBAN's own structure (where a country has digits
 * only, say) is not checked: the checksum already refuses every single changed character and swapped neighbours, and
 * a random string of the right length passes one time in 97.
 */
public final class IbanRecognizer implements PiiRecognizer {
  @Override
  public PiiEntity entity() {
    return PiiEntity.IBAN;
  }

  @Override
  public List<PiiSpan> find(CharSequence text) {
    List<PiiSpan> found = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i + 4 <= n) {
      // The rarest character first: in prose, the digit that would be the first check digit is seldom there.
      if (!(digit(text.charAt(i + 2)) && letter(text.charAt(i)) && letter(text.charAt(i + 1))
          && digit(text.charAt(i + 3))) || word(at(text, i - 1))) {
        i++;
        continue;
      }
      String country = text.subSequence(i, i + 2).toString().toUpperCase(Locale.ROOT);
      OptionalInt length = IbanCountries.length(country);
      int end = length.isPresent() ? match(text, i, length.getAsInt()) : -1;
      if (end > 0) {
        found.add(new PiiSpan(i, end));
        i = end;
      } else {
        i++;
      }
    }
    return found;
  }

  /** The end of a valid IBAN of {@code length} characters starting at {@code start}, or -1. */
  private static int match(CharSequence text, int start, int length) {
    StringBuilder iban = new StringBuilder(length);
    int run = alnumRun(text, start);
    int end;
    if (run == length) {
      end = start + run;
      iban.append(text, start, end);
    } else if (run == 4) {
      iban.append(text, start, start + 4);
      end = start + 4;
      while (iban.length() < length && at(text, end) == ' ') {
        int g = alnumRun(text, end + 1);
        if (g == 0 || g > 4 || iban.length() + g > length || (g < 4 && iban.length() + g < length)) {
          return -1;
        }
        iban.append(text, end + 1, end + 1 + g);
        end += 1 + g;
      }
      if (iban.length() != length) {
        return -1;
      }
    } else {
      return -1;
    }
    if (word(at(text, end))) {
      return -1;
    }
    String upper = iban.toString().toUpperCase(Locale.ROOT);
    return IbanCountries.checksumValid(upper) ? end : -1;
  }

  private static int alnumRun(CharSequence text, int from) {
    int k = from;
    while (k < text.length() && alnum(text.charAt(k))) {
      k++;
    }
    return k - from;
  }
}
