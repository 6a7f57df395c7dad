package dev.spillway.core.guard.pii;

import java.util.Locale;

/**
 * The kinds of personal data the PII check recognizes, in order of precedence: when spans of two kinds overlap, the
 * kind declared first keeps its span and the other is dropped ({@link PiiCheck}). The order runs from the most to the
 * least specific evidence:
 *
 * <ol>
 *   <li>{@link #EMAIL}: a whole token around an {@code @}; digits inside its local part (an SMS gateway's {@code
 *       +12127364100@sms.example.com}) are part of the address, not a phone number of their own.
 *   <li>{@link #IBAN}: letters, a length fixed per country and a mod-97 checksum; the grouped digits inside it can look
 *       like a card number.
 *   <li>{@link #CREDIT_CARD}: the Luhn checksum and an issuer's prefix and length. (libphonenumber itself refuses a
 *       number inside a longer digit run, so a card is seldom read as a phone; should it be, the card wins.)
 *   <li>{@link #US_SSN}: a fixed 3-2-4 shape with excluded ranges.
 *   <li>{@link #IP_ADDRESS}: dotted quads and colon groups.
 *   <li>{@link #PHONE}: the loosest; the numbering plans accept many digit groupings.
 * </ol>
 *
 * <p>Default severities (0 to 7, Azure AI Content Safety's scale): a card number or an SSN 6 (enough, with a name, for
 * fraud or identity theft); an IBAN 5 (payments can be drawn on it, but it is shared to be paid); an e-mail address or
 * a phone number 3 (contact data, routinely shared); an IP address 2 (identifying only with other logs).
 */
public enum PiiEntity {
  EMAIL(3),
  IBAN(5),
  CREDIT_CARD(6),
  US_SSN(6),
  IP_ADDRESS(2),
  PHONE(3);

  private final int defaultSeverity;

  PiiEntity(int defaultSeverity) {
    this.defaultSeverity = defaultSeverity;
  }

  /** The rule id and config key: {@code credit_card}, {@code us_ssn}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The finding's category: {@code pii.} and the id. */
  public String category() {
    return "pii." + id();
  }

  /** The severity a finding of this kind carries unless configured otherwise. */
  public int defaultSeverity() {
    return defaultSeverity;
  }

  /** The entity for a config key ({@code credit_card}, any case); an unknown key names the choices. */
  public static PiiEntity parse(String id) {
    for (PiiEntity e : values()) {
      if (e.id().equalsIgnoreCase(id.trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException("'" + id + "' is not a PII entity: email, iban, credit_card, us_ssn,"
        + " ip_address or phone");
  }
}
