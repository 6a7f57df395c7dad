package dev.spillway.core.guard.pii;

import java.util.Map;
import java.util.OptionalInt;

/**
 * The length of an IBAN in each country that issues them (ISO 13616, the SWIFT IBAN registry): every SEPA country and
 * the common others. A candidate whose country is not here, or whose length differs from its country's, is not an
 * IBAN.
 *
 * <p>SEPA: AD 24, AL 28, AT 20, BE 16, BG 22, CH 21, CY 28, CZ 24, DE 22, DK 18, EE 20, ES 24, FI 18, FR 27, GB 22, GI
 * 23, GR 27, HR 21, HU 28, IE 22, IS 26, IT 27, LI 21, LT 20, LU 20, LV 21, MC 27, MD 24, ME 22, MK 19, MT 31, NL 18, NO
 * 15, PL 28, PT 25, RO 24, RS 22, SE 24, SI 19, SK 24, SM 27, VA 22. French overseas territories and the Faroes and
 * Greenland use their own codes: FO 18, GL 18. Others: AE 23, AZ 28, BA 20, BH 22, BR 29, BY 28, CR 22, DO 28, EG 29,
 * GE 22, GT 28, IL 23, IQ 23, JO 30, KW 30, KZ 20, LB 28, LC 32, LY 25, MR 27, MU 30, PK 24, PS 29, QA 29, SA 24, SC 31,
 * SD 18, ST 25, SV 28, TL 23, TN 24, TR 26, UA 29, VG 24, XK 20.
 */
final class IbanCountries {
  private static final Map<String, Integer> LENGTHS = Map.ofEntries(
      // SEPA
      Map.entry("AD", 24), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("BE", 16), Map.entry("BG", 22),
      Map.entry("CH", 21), Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DK", 18),
      Map.entry("EE", 20), Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FR", 27), Map.entry("GB", 22),
      Map.entry("GI", 23), Map.entry("GR", 27), Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22),
      Map.entry("IS", 26), Map.entry("IT", 27), Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20),
      Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19),
      Map.entry("MT", 31), Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PL", 28), Map.entry("PT", 25),
      Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24),
      Map.entry("SM", 27), Map.entry("VA", 22), Map.entry("FO", 18), Map.entry("GL", 18),
      // others
      Map.entry("AE", 23), Map.entry("AZ", 28), Map.entry("BA", 20), Map.entry("BH", 22), Map.entry("BR", 29),
      Map.entry("BY", 28), Map.entry("CR", 22), Map.entry("DO", 28), Map.entry("EG", 29), Map.entry("GE", 22),
      Map.entry("GT", 28), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("JO", 30), Map.entry("KW", 30),
      Map.entry("KZ", 20), Map.entry("LB", 28), Map.entry("LC", 32), Map.entry("LY", 25), Map.entry("MR", 27),
      Map.entry("MU", 30), Map.entry("PK", 24), Map.entry("PS", 29), Map.entry("QA", 29), Map.entry("SA", 24),
      Map.entry("SC", 31), Map.entry("SD", 18), Map.entry("ST", 25), Map.entry("SV", 28), Map.entry("TL", 23),
      Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VG", 24), Map.entry("XK", 20));

  private IbanCountries() {}

  /** The IBAN length of an upper-case country code, or empty when it issues none this table knows. */
  static OptionalInt length(String country) {
    Integer n = LENGTHS.get(country);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  /** ISO 7064 MOD 97-10 over an upper-case IBAN without spaces: the first four characters moved to the end, each
   * letter read as 10 to 35; a valid IBAN leaves 1. */
  static boolean checksumValid(CharSequence iban) {
    int n = iban.length();
    int rem = 0;
    for (int k = 0; k < n; k++) {
      char c = iban.charAt((k + 4) % n);
      if (Chars.digit(c)) {
        rem = (rem * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        rem = (rem * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return rem == 1;
  }
}
