package dev.spillway.core.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail addresses, the practical subset of RFC 5322 that people write in text: a dot-atom local part ({@code
 * first.last+tag@}), a host name of letter-digit-hyphen labels, and a top-level domain of 2 to 63 letters.
 *
 * <p>Left out on purpose: quoted local parts ({@code "john doe"@example.com}), address literals ({@code
 * user@[192.0.2.1]}), comments, and internationalized addresses (non-ASCII letters). A local part must start with a
 * letter, a digit, an underscore or a plus (an SMS gateway's {@code +12127364100@...}), so a prose quote before an
 * address ({@code 'bob@example.com'}) is not taken into it; a trailing full stop ends the address. What the subset
 * allows is still allowed: {@code cc/ann@example.org} is one address, and so is the {@code git@github.com} of an SSH
 * remote. Lengths are RFC 5321's: a local part of at most 64 characters, a domain of at most 253, labels of at most
 * 63. The bounds also keep the scan linear: no candidate reads more than a few hundred characters, whatever the text.
 * A top-level domain that is a common file extension and no domain ({@code png}, {@code pdf}, {@code json}...) is
 * refused: {@code logo@2x.png} is a file name.
 *
 * <p>Cost: the pattern is never run over the whole text. Every address holds exactly one {@code @} and starts at most
 * {@value #MAX_LOCAL} characters before it, so the scan jumps from one {@code @} to the next ({@link String#indexOf},
 * vectorized) and runs the pattern only from {@value #MAX_LOCAL} characters before it to the end of the domain
 * characters after it, its look-behind and look-ahead still seeing the text around (transparent bounds): the same
 * matches as a scan of the whole text, in microseconds for a prompt with a few addresses.
 */
public final class EmailRecognizer implements PiiRecognizer {
  /** The longest local part, RFC 5321's: the first character and at most 63 more. */
  static final int MAX_LOCAL = 64;
  private static final String ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final Pattern ADDRESS = Pattern.compile(
      "(?<![A-Za-z0-9!#$%&*+=?^_~.@-])"
          + "([A-Za-z0-9_+](?:[" + ATEXT + "]|\\.(?![.@])){0,63}+)"
          + "@((?:" + LABEL + "\\.){1,126}[A-Za-z]{2,63})"
          + "(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])");

  /**
   * File extensions that are no top-level domain: {@code icon@2x.png} is an image for high-density screens, not an
   * address. Extensions that are also TLDs ({@code .md}, {@code .py}, {@code .sh}, {@code .zip}, {@code .mov}) are not
   * listed.
   */
  private static final Set<String> FILE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico",
      "tif", "tiff", "heic", "avif", "pdf", "txt", "csv", "json", "xml", "yml", "yaml", "html", "htm", "css", "js",
      "ts", "java", "kt", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wav", "exe", "dll", "tmp", "bak");

  @Override
  public PiiEntity entity() {
    return PiiEntity.EMAIL;
  }

  @Override
  public List<PiiSpan> find(CharSequence text) {
    List<PiiSpan> found = new ArrayList<>();
    String s = text.toString();
    int n = s.length();
    Matcher m = null;
    int from = 0;
    int at;
    while ((at = s.indexOf('@', from)) >= 0) {
      int domainEnd = at + 1;
      while (domainEnd < n && domainChar(s.charAt(domainEnd))) {
        domainEnd++;
      }
      if (m == null) {
        m = ADDRESS.matcher(s).useTransparentBounds(true).useAnchoringBounds(false);
      }
      // A match holds this '@' and no other: it starts within MAX_LOCAL characters before it and ends within the
      // domain characters after it; a start at or after the '@' finds none (no '@' between there and domainEnd).
      m.region(Math.max(from, at - MAX_LOCAL), domainEnd);
      if (m.find()) {
        String domain = m.group(2);
        String tld = domain.substring(domain.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (domain.length() <= 253 && !FILE_EXTENSIONS.contains(tld)) {
          found.add(new PiiSpan(m.start(), m.end()));
        }
        from = m.end();
      } else {
        from = at + 1;
      }
    }
    return found;
  }

  /** What the domain part of {@link #ADDRESS} is made of: letters, digits, hyphens and dots. */
  private static boolean domainChar(char c) {
    return Chars.alnum(c) || c == '-' || c == '.';
  }
}
