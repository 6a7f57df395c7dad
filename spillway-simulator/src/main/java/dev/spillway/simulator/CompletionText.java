package dev.spillway.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic filler text whose token count is known exactly: each piece is one
 * {@code o200k_base} token (a lower-case word, with a leading space after the first, or a full
 * stop), and pieces tokenize independently, so {@code n} pieces are {@code n} tokens. Streams send
 * one piece per chunk. Thread-safe; the vocabulary is checked against the tokenizer once.
 */
final class CompletionText {
  /** Lengths chosen when the request sets no output limit: {@value #MIN_TOKENS}..{@value #MAX_TOKENS}. */
  static final int MIN_TOKENS = 20;
  static final int MAX_TOKENS = 120;

  private static final String[] CANDIDATES = (
      "the of and to in is that for it as was with be by on not he this are or his from at which but "
          + "have an they you were her she there been one all we their has would when if so no will "
          + "more can who out up said what about into than them some could time only other new these "
          + "two may first then do any like my now over such our man me even most made after also did "
          + "many before must through back years where much your way well down should because each "
          + "just those people how too little state good very make world still own see men work long "
          + "get here between both life being under never day same another know while last might us "
          + "great old year off come since against go came right used take three light water river "
          + "flow stream bridge road city north south east west capacity token model cloud region "
          + "quiet green bright small large early late simple clear system value level open close").split(" ");

  private static final List<String> WORDS = checkedVocabulary();

  private CompletionText() {}

  /**
   * {@code tokens} pieces of text drawn from {@code random}; concatenated they form the content.
   * Sentences of 6–14 words end with a full stop, and so does the text when it has room.
   */
  static List<String> pieces(SplittableRandom random, int tokens) {
    List<String> out = new ArrayList<>(tokens);
    int sentenceLeft = 6 + random.nextInt(9);
    while (out.size() < tokens) {
      boolean last = out.size() == tokens - 1;
      if ((sentenceLeft == 0 || last) && !out.isEmpty() && !out.get(out.size() - 1).equals(".")) {
        out.add(".");
        sentenceLeft = 6 + random.nextInt(9);
        continue;
      }
      String word = WORDS.get(random.nextInt(WORDS.size()));
      out.add(out.isEmpty() ? word : " " + word);
      sentenceLeft--;
    }
    return out;
  }

  /** The length to generate when the request sets no limit. */
  static int defaultLength(SplittableRandom random) {
    return MIN_TOKENS + random.nextInt(MAX_TOKENS - MIN_TOKENS + 1);
  }

  private static List<String> checkedVocabulary() {
    List<String> words = new ArrayList<>();
    for (String w : CANDIDATES) {
      if (TokenCounter.count(w) == 1 && TokenCounter.count(" " + w) == 1) {
        words.add(w);
      }
    }
    if (words.size() < 50) {
      throw new IllegalStateException("tokenizer rejected the vocabulary: " + words.size() + " words left");
    }
    return List.copyOf(words);
  }
}
