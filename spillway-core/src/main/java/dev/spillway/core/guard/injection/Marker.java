package dev.spillway.core.guard.injection;

import java.util.Arrays;
import java.util.Locale;

/**
 * The character-level cues, found by one pass over the text rather than by words: chat-template control tokens and
 * role tags pasted into a user's text to fake a turn boundary, and long base64-like runs that may carry an encoded
 * payload. Each has an id and a hand-set weight like a {@link CueRule}.
 *
 * <ul>
 *   <li>{@link #SPECIAL_TOKEN}: {@code <|im_start|>}, {@code <|system|>}, {@code <|endoftext|>}: {@code <|}, a word,
 *       {@code |>}.
 *   <li>{@link #INST_TAG}: Llama's {@code [INST]}, {@code [/INST]}, {@code <<SYS>>}, {@code <</SYS>>}.
 *   <li>{@link #SYSTEM_TAG}: {@code <system>}, {@code </system>}, {@code [system]}, {@code (system)}, {@code {system}}.
 *   <li>{@link #ROLE_HEADER}: a Markdown header naming a role: {@code ### System:}, {@code ### Instruction},
 *       {@code ## New instructions}.
 *   <li>{@link #ROLE_LINE}: a line that opens with {@code system:}, {@code SYSTEM MESSAGE:} and the like.
 *   <li>{@link #ENCODED_BLOB}: 40 or more characters of base64's alphabet in a row with upper and lower case and digits.
 *   <li>{@link #GPT_NAME}: a word ending in "gpt" other than ChatGPT and GPT ({@code DarkGPT}, {@code UnGPT}); {@link
 *       CueTokens} notes it while reading the words.
 * </ul>
 */
enum Marker {
  SPECIAL_TOKEN("injection.role_tag.special_token", 1.0),
  INST_TAG("injection.role_tag.inst", 1.0),
  SYSTEM_TAG("injection.role_tag.system", 0.5),
  ROLE_HEADER("injection.role_tag.header", 0.4),
  ROLE_LINE("injection.role_tag.line", 0.4),
  ENCODED_BLOB("injection.encoding.blob", 0.3),
  /** Found while reading words, not by {@link #scan}: a name ending in "GPT" (not ChatGPT), a jailbreak's usual. */
  GPT_NAME("injection.persona.gpt_name", 0.3);

  /** The shortest base64-like run that counts. */
  static final int BLOB_LENGTH = 40;

  private static final String[] INST = {"[inst]", "[/inst]", "<<sys>>", "<</sys>>"};
  private static final String[] SYSTEM = {"<system>", "</system>", "[system]", "(system)", "{system}", "<system_prompt>",
      "[system message]", "[system prompt]", "<sys>", "[sys]"};
  private static final String[] HEADER_WORDS = {"system", "instructions", "instruction", "new instructions",
      "new instruction", "admin", "developer", "sudo", "override", "assistant"};
  private static final String[] LINE_ROLES = {"system:", "system message:", "system prompt:", "system note:",
      "system instruction:", "system override:", "[system]:", "admin:", "developer:", "sudo:"};

  final String id;
  final double weight;

  Marker(String id, double weight) {
    this.id = id;
    this.weight = weight;
  }

  /** Finds the markers in {@code text}: the first span of each, in {@code starts}/{@code ends}, -1 where none. */
  static void scan(CharSequence text, int[] starts, int[] ends) {
    Arrays.fill(starts, -1);
    Arrays.fill(ends, -1);
    int n = text.length();
    int run = 0;
    int kinds = 0;
    boolean lineStart = true;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (isBase64(c)) {
        run++;
        kinds |= Character.isUpperCase(c) ? 1 : Character.isLowerCase(c) ? 2 : Character.isDigit(c) ? 4 : 0;
      } else {
        blob(i, run, kinds, starts, ends);
        run = 0;
        kinds = 0;
      }
      if (c == '<') {
        int close = specialToken(text, i);
        if (close > 0) {
          hit(SPECIAL_TOKEN, i, close, starts, ends);
        }
      }
      if (c == '<' || c == '[' || c == '(' || c == '{') {
        match(INST_TAG, INST, text, i, starts, ends);
        match(SYSTEM_TAG, SYSTEM, text, i, starts, ends);
      }
      if (c == '#' && lineStart) {
        header(text, i, starts, ends);
      }
      if (lineStart && !Character.isWhitespace(c)) {
        match(ROLE_LINE, LINE_ROLES, text, i, starts, ends);
        lineStart = false;
      }
      if (c == '\n') {
        lineStart = true;
      }
    }
    blob(n, run, kinds, starts, ends);
  }

  private static boolean isBase64(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
        || c == '=';
  }

  private static void blob(int end, int run, int kinds, int[] starts, int[] ends) {
    if (run >= BLOB_LENGTH && kinds == 7) {
      hit(ENCODED_BLOB, end - run, end, starts, ends);
    }
  }

  /** The end of a {@code <|word|>} token starting at {@code i}, or -1. */
  private static int specialToken(CharSequence text, int i) {
    int n = text.length();
    if (i + 4 >= n || text.charAt(i + 1) != '|') {
      return -1;
    }
    for (int j = i + 2; j < n && j < i + 40; j++) {
      char c = text.charAt(j);
      if (c == '|' && j + 1 < n && text.charAt(j + 1) == '>') {
        return j > i + 2 ? j + 2 : -1;
      }
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == ' ' || c == '.')) {
        return -1;
      }
    }
    return -1;
  }

  private static void header(CharSequence text, int i, int[] starts, int[] ends) {
    int j = i;
    int n = text.length();
    while (j < n && text.charAt(j) == '#') {
      j++;
    }
    while (j < n && text.charAt(j) == ' ') {
      j++;
    }
    for (String w : HEADER_WORDS) {
      if (regionMatches(text, j, w)) {
        int e = j + w.length();
        if (e >= n || !Character.isLetter(text.charAt(e))) {
          hit(ROLE_HEADER, i, e, starts, ends);
          return;
        }
      }
    }
  }

  private static void match(Marker m, String[] words, CharSequence text, int i, int[] starts, int[] ends) {
    for (String w : words) {
      if (regionMatches(text, i, w)) {
        hit(m, i, i + w.length(), starts, ends);
        return;
      }
    }
  }

  private static boolean regionMatches(CharSequence text, int at, String lower) {
    if (at + lower.length() > text.length()) {
      return false;
    }
    for (int k = 0; k < lower.length(); k++) {
      if (Character.toLowerCase(text.charAt(at + k)) != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static void hit(Marker m, int start, int end, int[] starts, int[] ends) {
    if (starts[m.ordinal()] < 0) {
      starts[m.ordinal()] = start;
      ends[m.ordinal()] = end;
    }
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
