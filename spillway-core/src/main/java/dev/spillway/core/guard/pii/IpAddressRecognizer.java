package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Chars.at;
import static dev.spillway.core.guard.pii.Chars.digit;
import static dev.spillway.core.guard.pii.Chars.letter;
import static dev.spillway.core.guard.pii.Chars.word;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * IP addresses, validated as literals and never resolved (no DNS, no {@code InetAddress} on the text).
 *
 * <p>IPv4: four decimal parts of 0 to 255 joined by dots, with no leading zero ({@code 010} could be octal or decimal,
 * so {@code 10.010.0.1} is refused rather than guessed). The dotted run must be exactly four parts: {@code 1.2.3.4.5}
 * and {@code 10.0.0} are not addresses, nor is a quad touching a letter or digit ({@code v1.2.3.4}) or right after
 * a word that numbers versions or documents ({@code version}, {@code release}, {@code build}, {@code patch}, {@code
 * section}, {@code clause}, {@code paragraph}, {@code chapter}, {@code article} and their short forms, or {@code §}).
 * A bare four-part version with no such word before it ({@code upgraded to 5.7.10.181}) cannot be told from an
 * address and is reported.
 *
 * <p>IPv6: eight groups of one to four hex digits, or fewer with one {@code ::} standing for the missing zero groups
 * ({@code 2001:db8::1}, {@code ::1}, {@code fe80::}), the last two groups possibly written as an IPv4 quad ({@code
 * ::ffff:192.0.2.128}). The unspecified address {@code ::} alone is not taken (in text it is punctuation). A zone ({@code %eth0}), brackets and a port around it are left outside the span. Times ({@code
 * 12:30:45}) and MAC addresses ({@code 00:1a:2b:3c:4d:5e}) have too few groups and no {@code ::}, so they are not
 * taken; a run touching a letter ({@code std::vector}) is not either.
 */
public final class IpAddressRecognizer implements PiiRecognizer {
  /** Words after which four dotted numbers are a version or a place in a document, not an address. */
  private static final Set<String> NUMBERING_WORDS = Set.of("version", "release", "build", "patch", "section",
      "clause", "paragraph", "chapter", "article", "sec", "para", "art", "ch");

  @Override
  public PiiEntity entity() {
    return PiiEntity.IP_ADDRESS;
  }

  @Override
  public List<PiiSpan> find(CharSequence text) {
    List<PiiSpan> v6 = findV6(text);
    List<PiiSpan> found = new ArrayList<>(v6);
    for (PiiSpan s : findV4(text)) {
      if (v6.stream().noneMatch(s::overlaps)) {
        found.add(s);
      }
    }
    found.sort((x, y) -> Integer.compare(x.start(), y.start()));
    return found;
  }

  private static List<PiiSpan> findV4(CharSequence text) {
    List<PiiSpan> found = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!digit(text.charAt(i)) || digit(at(text, i - 1))) {
        i++;
        continue;
      }
      int end = i;
      while (end < n && (digit(text.charAt(end)) || (text.charAt(end) == '.' && digit(at(text, end + 1))))) {
        end++;
      }
      char before = at(text, i - 1);
      boolean bounded = !word(before) && before != '.' && !word(at(text, end));
      if (bounded && ipv4(text.subSequence(i, end)) && !afterNumberingWord(text, i)) {
        found.add(new PiiSpan(i, end));
      }
      i = end;
    }
    return found;
  }

  private static List<PiiSpan> findV6(CharSequence text) {
    List<PiiSpan> found = new ArrayList<>();
    String s = text.toString();
    int n = s.length();
    int i = 0;
    int colon;
    while ((colon = s.indexOf(':', i)) >= 0) { // a run without a colon is no address: jump to the next colon
      int start = colon;
      while (start > i && v6Char(s.charAt(start - 1))) {
        start--;
      }
      int end = start;
      int colons = 0;
      while (end < n && v6Char(s.charAt(end))) {
        colons += s.charAt(end) == ':' ? 1 : 0;
        end++;
      }
      i = end;
      if (end - start >= 2 && text.charAt(start) == ':' && text.charAt(start + 1) != ':') {
        start++; // "addr:fe80::1": the colon belongs to the label
      } else if (word(at(text, start - 1))) {
        continue;
      }
      if (colons < 2 || word(at(text, end))) {
        continue;
      }
      while (end > start && text.charAt(end - 1) == '.') {
        end--; // a full stop after the address
      }
      if (end - start >= 2 && text.charAt(end - 1) == ':' && text.charAt(end - 2) != ':') {
        end--; // "at fe80::1: the router"
      }
      if (end > start && ipv6(text.subSequence(start, end).toString())) {
        found.add(new PiiSpan(start, end));
      }
    }
    return found;
  }

  private static boolean v6Char(char c) {
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
  }

  /** Whether {@code s} is a dotted quad of 0–255 without leading zeros. */
  static boolean ipv4(CharSequence s) {
    int parts = 0;
    int k = 0;
    int n = s.length();
    while (k <= n) {
      int start = k;
      int value = 0;
      while (k < n && digit(s.charAt(k))) {
        value = value * 10 + (s.charAt(k) - '0');
        k++;
        if (k - start > 3) {
          return false;
        }
      }
      int len = k - start;
      if (len == 0 || value > 255 || (len > 1 && s.charAt(start) == '0')) {
        return false;
      }
      parts++;
      if (k == n) {
        break;
      }
      if (s.charAt(k) != '.') {
        return false;
      }
      k++;
    }
    return parts == 4;
  }

  /** Whether {@code s} is an IPv6 address in full, compressed or IPv4-embedded form (RFC 4291 2.2). */
  static boolean ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String head = gap < 0 ? s : s.substring(0, gap);
    String tail = gap < 0 ? "" : s.substring(gap + 2);
    int groups = 0;
    String[] parts = {head, tail};
    for (int p = 0; p < 2; p++) {
      if (parts[p].isEmpty()) {
        continue;
      }
      String[] g = parts[p].split(":", -1);
      for (int k = 0; k < g.length; k++) {
        boolean lastOfAll = k == g.length - 1 && (p == 1 || gap < 0);
        if (lastOfAll && g[k].indexOf('.') >= 0) {
          if (!ipv4(g[k])) {
            return false;
          }
          groups += 2;
        } else if (hexGroup(g[k])) {
          groups++;
        } else {
          return false;
        }
      }
    }
    return gap < 0 ? groups == 8 : groups > 0 && groups <= 7;
  }

  private static boolean hexGroup(String g) {
    if (g.isEmpty() || g.length() > 4) {
      return false;
    }
    for (int k = 0; k < g.length(); k++) {
      if (!v6Char(g.charAt(k)) || g.charAt(k) == ':' || g.charAt(k) == '.') {
        return false;
      }
    }
    return true;
  }

  /** Whether the word right before {@code pos} (spaces, a colon or a dot between) numbers versions or documents. */
  private static boolean afterNumberingWord(CharSequence text, int pos) {
    int k = pos - 1;
    while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == ':' || text.charAt(k) == '.')) {
      k--;
    }
    if (k >= 0 && text.charAt(k) == '\u00a7') {
      return true;
    }
    int end = k + 1;
    while (k >= 0 && letter(text.charAt(k))) {
      k--;
    }
    return end > k + 1 && NUMBERING_WORDS.contains(text.subSequence(k + 1, end).toString().toLowerCase(Locale.ROOT));
  }
}
