package dev.spillway.core.guard.pii;

import java.util.List;

/** What a recognizer found, as the substrings of the text: easier to read in an assertion than offsets. */
final class Spans {
  private Spans() {}

  static List<String> found(PiiRecognizer recognizer, String text) {
    return recognizer.find(text).stream().map(s -> text.substring(s.start(), s.end())).toList();
  }
}
