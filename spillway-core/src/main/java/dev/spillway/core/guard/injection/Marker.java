package dev.spillway.core.guard.injection;

import java.util.Arrays;
import java.util.Locale;

/**
 * The character-level cues, found while {@link CueTokens} reads the text rather than by words: chat-template control tokens and
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

  static final int BASE64 = 8;
  static final int TRIGGER = 16;
  /** Per ASCII character: 1 upper, 2 lower, 4 digit (all three base64), 8 base64, 16 may open a marker. */
  static final byte[] CHARS = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      int f = c >= 'A' && c <= 'Z' ? 1 | BASE64 : c >= 'a' && c <= 'z' ? 2 | BASE64
          : c >= '0' && c <= '9' ? 4 | BASE64 : c == '+' || c == '/' || c == '=' ? BASE64 : 0;
      if (c == '<' || c == '[' || c == '(' || c == '{' || c == '#' || c == '\n') {
        f |= TRIGGER;
      }
      CHARS[c] = (byte) f;
    }
  }

  /** The markers that may open at {@code i}; returns whether the next character still starts a line. */
  static boolean special(CharSequence text, int i, char c, boolean lineStart, int[] starts, int[] ends) {
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
    if (c == '\n') {
      return true;
    }
    if (lineStart && c != ' ' && c != '\t' && c != '\r') {
      match(ROLE_LINE, LINE_ROLES, text, i, starts, ends);
      return false;
    }
    return lineStart;
  }

  static void blob(int end, int run, int kinds, int[] starts, int[] ends) {
    if (kinds == 7) {
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
