package dev.spillway.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic transcript of audio of a given length: {@value #TOKENS_PER_SECOND} tokens of filler
 * text per second (rounded up; about 150 words a minute), drawn from a random that depends only on the
 * simulator seed, the operation and the length in milliseconds, and cut into one segment per sentence,
 * timed in proportion to its tokens. Renders the text formats of the audio API. Pure.
 *
 * @param text the whole transcript
 * @param segments its sentences with their times
 */
record Transcript(String text, List<Segment> segments) {
  static final int TOKENS_PER_SECOND = 3;

  /** One sentence: seconds from the start of the audio, and its text with a leading space. */
  record Segment(double start, double end, String text) {}

  /** The transcript {@code op} gives for {@code seconds} of audio under {@code seed}. */
  static Transcript of(long seed, Operation op, double seconds) {
    long millis = Math.round(seconds * 1000);
    int tokens = (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(seconds * TOKENS_PER_SECOND));
    List<String> pieces = CompletionText.pieces(new SplittableRandom(RequestSeed.of(RequestSeed.of(seed,
        op.pathSuffix()), millis)), tokens);
    StringBuilder all = new StringBuilder();
    StringBuilder sentence = new StringBuilder();
    List<Segment> segments = new ArrayList<>();
    int first = 0;
    for (int i = 0; i < pieces.size(); i++) {
      all.append(pieces.get(i));
      sentence.append(pieces.get(i));
      if (pieces.get(i).equals(".") || i == pieces.size() - 1) {
        String text = sentence.toString();
        segments.add(new Segment(seconds * first / tokens, seconds * (i + 1) / tokens,
            text.startsWith(" ") ? text : " " + text));
        sentence.setLength(0);
        first = i + 1;
      }
    }
    return new Transcript(all.toString(), List.copyOf(segments));
  }

  /** SubRip: numbered cues with {@code HH:MM:SS,mmm} times. */
  String srt() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      out.append(i + 1).append('\n').append(time(s.start(), ',')).append(" --> ").append(time(s.end(), ','))
          .append('\n').append(s.text().strip()).append("\n\n");
    }
    return out.toString();
  }

  /** WebVTT: a header, then cues with {@code HH:MM:SS.mmm} times. */
  String vtt() {
    StringBuilder out = new StringBuilder("WEBVTT\n\n");
    for (Segment s : segments) {
      out.append(time(s.start(), '.')).append(" --> ").append(time(s.end(), '.')).append('\n')
          .append(s.text().strip()).append("\n\n");
    }
    return out.toString();
  }

  private static String time(double seconds, char separator) {
    long millis = Math.round(seconds * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d",
        millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, separator, millis % 1000);
  }
}
