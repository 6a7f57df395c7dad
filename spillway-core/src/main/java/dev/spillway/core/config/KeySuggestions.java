package dev.spillway.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean ...?" for misspelt config keys: the closest valid key within a small edit distance,
 * else the key sharing a long prefix ({@code maxBodySize} suggests {@code maxBodyBytes}).
 */
final class KeySuggestions {
  private KeySuggestions() {}

  static Optional<String> nearest(String unknown, List<String> valid) {
    String wanted = unknown.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : valid) {
      int distance = distance(wanted, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.min(3, Math.max(1, wanted.length() / 3));
    if (bestDistance <= allowed) {
      return Optional.ofNullable(best);
    }
    String longest = null;
    int longestPrefix = 4; // shorter shared prefixes ("max", "api") say nothing
    for (String candidate : valid) {
      int prefix = commonPrefix(wanted, candidate.toLowerCase(Locale.ROOT));
      if (prefix > longestPrefix) {
        longest = candidate;
        longestPrefix = prefix;
      }
    }
    return Optional.ofNullable(longest);
  }

  private static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  /** Optimal string alignment distance: Levenshtein plus adjacent transposition as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
