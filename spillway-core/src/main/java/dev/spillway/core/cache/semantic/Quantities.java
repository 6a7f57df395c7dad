package dev.spillway.core.cache.semantic;

import dev.spillway.core.cache.semantic.QuestionText.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers a question names, each as a key two questions compare: digits ("1,000" and "1000" agree; "3.10" and
 * "3.1" do not, nor "4.0" and "4": versions), number words ("twenty-five" is 25; a lone "one" is left out, it is
 * mostly a pronoun), ordinals ("3rd" and "third"), digits inside a word ("gpt-4o" has 4, "2fa" has 2), dates
 * ("December 5, 2026", "5 December 2026" and "2026-12-05" are one date; a month alone is a month), weekdays,
 * today/tomorrow/yesterday/tonight, and currencies ("$", "USD" and "dollars" agree). Pure.
 */
final class Quantities {

  /** One number: its key ("n:25", "date:12-5-2026", "cur:dollar"...) and where it starts. */
  record Quantity(String key, int start) {}

  private static final Map<String, Integer> MONTHS = Map.ofEntries(
      Map.entry("january", 1), Map.entry("february", 2), Map.entry("march", 3), Map.entry("april", 4),
      Map.entry("may", 5), Map.entry("june", 6), Map.entry("july", 7), Map.entry("august", 8),
      Map.entry("september", 9), Map.entry("october", 10), Map.entry("november", 11), Map.entry("december", 12),
      Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("jun", 6),
      Map.entry("jul", 7), Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("sept", 9), Map.entry("oct", 10),
      Map.entry("nov", 11), Map.entry("dec", 12));
  /** Month names that are also common words or abbreviations: months only beside a day or a year. */
  private static final Set<String> AMBIGUOUS_MONTHS =
      Set.of("may", "march", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");
  private static final Set<String> DAYS = Set.of("monday", "tuesday", "wednesday", "thursday", "friday",
      "saturday", "sunday", "today", "tomorrow", "yesterday", "tonight");
  private static final Map<String, Integer> UNITS = Map.ofEntries(
      Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4),
      Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9),
      Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13),
      Map.entry("fourteen", 14), Map.entry("fifteen", 15), Map.entry("sixteen", 16), Map.entry("seventeen", 17),
      Map.entry("eighteen", 18), Map.entry("nineteen", 19), Map.entry("twenty", 20), Map.entry("thirty", 30),
      Map.entry("forty", 40), Map.entry("fifty", 50), Map.entry("sixty", 60), Map.entry("seventy", 70),
      Map.entry("eighty", 80), Map.entry("ninety", 90));
  private static final Map<String, Long> SCALES = Map.of("hundred", 100L, "thousand", 1_000L, "million",
      1_000_000L, "billion", 1_000_000_000L, "trillion", 1_000_000_000_000L);
  private static final Map<String, Integer> ORDINALS = Map.ofEntries(
      Map.entry("first", 1), Map.entry("second", 2), Map.entry("third", 3), Map.entry("fourth", 4),
      Map.entry("fifth", 5), Map.entry("sixth", 6), Map.entry("seventh", 7), Map.entry("eighth", 8),
      Map.entry("ninth", 9), Map.entry("tenth", 10), Map.entry("eleventh", 11), Map.entry("twelfth", 12));
  private static final Map<String, String> CURRENCY_WORDS = Map.ofEntries(
      Map.entry("usd", "dollar"), Map.entry("dollar", "dollar"), Map.entry("dollars", "dollar"),
      Map.entry("eur", "euro"), Map.entry("euro", "euro"), Map.entry("euros", "euro"), Map.entry("gbp", "pound"),
      Map.entry("jpy", "yen"), Map.entry("yen", "yen"), Map.entry("inr", "rupee"), Map.entry("rupee", "rupee"),
      Map.entry("rupees", "rupee"), Map.entry("cny", "yuan"), Map.entry("yuan", "yuan"), Map.entry("chf", "franc"));
  private static final Map<Character, String> CURRENCY_SIGNS =
      Map.of('$', "dollar", '€', "euro", '£', "pound", '¥', "yen", '₹', "rupee");
  private static final Pattern DIGITS = Pattern.compile("\\d+(?:[.,:]\\d+)*");
  private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
  private static final Pattern ORDINAL_DIGITS = Pattern.compile("(\\d+)(?:st|nd|rd|th)");
  private static final Pattern DAY = Pattern.compile("([12]?\\d|3[01])(?:st|nd|rd|th)?");
  private static final Pattern YEAR = Pattern.compile("\\d{4}");
  private static final Pattern THOUSANDS = Pattern.compile("\\d{1,3}(,\\d{3})+");

  private Quantities() {}

  /** Whether {@code lower} names a month or a day, which the numbers hold (so it is not also a name). */
  static boolean calendarWord(String lower) {
    return (MONTHS.containsKey(lower) && !AMBIGUOUS_MONTHS.contains(lower)) || DAYS.contains(lower);
  }

  /** The numbers of {@code q}, in the order they appear. */
  static List<Quantity> of(QuestionText q) {
    List<Word> w = q.words;
    List<Quantity> out = new ArrayList<>();
    boolean[] used = new boolean[w.size()];
    for (int i = 0; i < w.size(); i++) {
      if (!used[i]) {
        i = one(w, i, used, out);
      }
    }
    String text = q.lower;
    for (int i = 0; i < text.length(); i++) {
      String currency = CURRENCY_SIGNS.get(text.charAt(i));
      if (currency != null) {
        out.add(new Quantity("cur:" + currency, i));
      }
    }
    out.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return out;
  }

  /** Reads the quantity at word {@code i} (marking the words it takes); returns the last word it took. */
  private static int one(List<Word> w, int i, boolean[] used, List<Quantity> out) {
    Word word = w.get(i);
    String lower = word.lower();
    int start = word.start();
    Integer month = month(w, i);
    if (month != null) {
      return date(w, i, month, used, out);
    }
    if (DAYS.contains(lower)) {
      out.add(new Quantity("day:" + lower, start));
      return i;
    }
    String currency = CURRENCY_WORDS.get(lower);
    if (currency != null) {
      out.add(new Quantity("cur:" + currency, start));
      return i;
    }
    if (!hasDigit(lower)) {
      return ORDINALS.containsKey(lower) ? ordinalWord(lower, start, out, i) : words(w, i, out);
    }
    Matcher iso = ISO_DATE.matcher(lower);
    if (iso.matches()) {
      out.add(new Quantity("date:" + Integer.parseInt(iso.group(2)) + "-" + Integer.parseInt(iso.group(3)) + "-"
          + iso.group(1), start));
      return i;
    }
    Matcher ordinal = ORDINAL_DIGITS.matcher(lower);
    if (ordinal.matches()) {
      out.add(new Quantity("ord:" + ordinal.group(1).replaceFirst("^0+(?=\\d)", ""), start));
      return i;
    }
    Matcher d = DIGITS.matcher(lower);
    while (d.find()) {
      out.add(new Quantity("n:" + canonical(d.group()), start + d.start()));
    }
    return i;
  }

  private static int ordinalWord(String lower, int start, List<Quantity> out, int i) {
    out.add(new Quantity("ord:" + ORDINALS.get(lower), start));
    return i;
  }

  private static boolean hasDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** The month at word {@code i}, or null: a month name, an ambiguous one ("May", "mar") only beside a number. */
  private static Integer month(List<Word> w, int i) {
    String lower = w.get(i).lower();
    Integer month = MONTHS.get(lower);
    if (month == null) {
      return null;
    }
    if (!AMBIGUOUS_MONTHS.contains(lower)) {
      return month;
    }
    boolean numberAfter = i + 1 < w.size() && DAY.matcher(w.get(i + 1).lower()).matches();
    boolean yearAfter = i + 1 < w.size() && YEAR.matcher(w.get(i + 1).lower()).matches();
    boolean numberBefore = i > 0 && DAY.matcher(w.get(i - 1).lower()).matches();
    boolean ofBefore = i > 1 && w.get(i - 1).lower().equals("of") && DAY.matcher(w.get(i - 2).lower()).matches();
    return numberAfter || yearAfter || numberBefore || ofBefore ? month : null;
  }

  /** A date around the month at {@code i}: "[day [of]] month [day] [year]", as one key. */
  private static int date(List<Word> w, int i, int month, boolean[] used, List<Quantity> out) {
    String day = "";
    String year = "";
    int last = i;
    int start = w.get(i).start();
    if (i + 1 < w.size() && DAY.matcher(w.get(i + 1).lower()).matches()) {
      day = dayOf(w.get(i + 1).lower());
      last = i + 1;
    }
    if (day.isEmpty()) { // "5 December", "5th of December": the day before, unless another quantity took it
      int before = i > 1 && w.get(i - 1).lower().equals("of") ? i - 2 : i - 1;
      if (before >= 0 && DAY.matcher(w.get(before).lower()).matches()) {
        day = dayOf(w.get(before).lower());
        start = w.get(before).start();
        out.removeIf(q -> q.start() == w.get(before).start());
      }
    }
    if (last + 1 < w.size() && YEAR.matcher(w.get(last + 1).lower()).matches()) {
      year = w.get(last + 1).lower();
      last++;
    }
    for (int k = i; k <= last; k++) {
      used[k] = true;
    }
    out.add(new Quantity(day.isEmpty() && year.isEmpty() ? "month:" + month : "date:" + month + "-" + day + "-" + year,
        start));
    return last;
  }

  private static String dayOf(String lower) {
    Matcher m = DAY.matcher(lower);
    m.matches();
    return Integer.toString(Integer.parseInt(m.group(1)));
  }

  /** A number written in words from word {@code i} ("twenty-five", "a hundred and five"); returns its last word. */
  private static int words(List<Word> w, int i, List<Quantity> out) {
    String lower = w.get(i).lower();
    int hyphen = lower.indexOf('-');
    String first = hyphen >= 0 ? lower.substring(0, hyphen) : lower;
    if (!UNITS.containsKey(first) && !SCALES.containsKey(first)
        && !(first.equals("a") && i + 1 < w.size() && SCALES.containsKey(w.get(i + 1).lower()))) {
      return i; // most words: no number starts here
    }
    List<String> parts = new ArrayList<>();
    List<Integer> partWord = new ArrayList<>();
    for (int k = i; k < w.size() && k < i + 12; k++) {
      for (String p : w.get(k).lower().split("-")) {
        parts.add(p);
        partWord.add(k);
      }
    }
    long total = 0;
    long current = 0;
    int taken = 0;
    boolean any = false;
    boolean onlyOne = true;
    for (int p = 0; p < parts.size(); p++) {
      String part = parts.get(p);
      Integer unit = UNITS.get(part);
      Long scale = SCALES.get(part);
      if (unit != null) {
        current += unit;
        onlyOne &= part.equals("one");
      } else if (scale != null && (any || p == 0 || parts.get(p - 1).equals("a"))) {
        current = Math.max(current, 1) * scale;
        if (scale >= 1000) {
          total += current;
          current = 0;
        }
        onlyOne = false;
      } else if (part.equals("a") && p == 0 && p + 1 < parts.size() && SCALES.containsKey(parts.get(p + 1))) {
        current = 1;
        continue;
      } else if (part.equals("and") && any && p + 1 < parts.size() && UNITS.containsKey(parts.get(p + 1))) {
        continue;
      } else {
        break;
      }
      any = true;
      taken = p;
    }
    if (!any) {
      return i;
    }
    if (!onlyOne) {
      out.add(new Quantity("n:" + (total + current), w.get(i).start()));
    }
    // A hyphenated word whose first part is a number ("two-factor") ends the number within itself.
    return partWord.get(taken);
  }

  /**
   * "1,000" → 1000; everything else as written: "3.10" is not "3.1" (versions), so "4.0" is not "4" either (a miss,
   * never a wrong answer).
   */
  static String canonical(String digits) {
    return THOUSANDS.matcher(digits).matches() ? digits.replace(",", "") : digits;
  }
}
