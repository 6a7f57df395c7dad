package dev.spillway.core.guard.output;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The text of one streamed choice that the guard holds back until it has been checked: a tail carried over from the
 * last window (checked once, not yet released) followed by new text. When the new text reaches the window, the checks
 * run over tail and window together; the text up to about the last {@code overlapChars} is released, masked, and the
 * rest becomes the next tail. So the held text never exceeds {@code windowChars + overlapChars}, and a word or number
 * that a window cuts off at its end is checked whole in the next.
 *
 * <p>Where the cut falls: {@code overlapChars} before the end, moved forward to just after a whitespace if one lies in
 * the first half of the overlap (so the tail starts at a word); never inside a surrogate pair; moved back to the start
 * of a finding that starts in the overlap and runs to the window's end (what it points at may go on in text not yet
 * arrived, so it is judged whole in the next window; such a BLOCK does not block yet either); and moved past the end of
 * any other masked span that straddles it (the span was seen whole, so its placeholder goes out whole). A masked span
 * that starts in the tail is not applied yet: the next window sees its thing again, whole, and masks it then.
 *
 * <p>Findings are reported once: a span's finding when the text it starts in is released, a finding about the whole
 * text (no span) once per choice for each action, category, severity and rule. A BLOCK finding anywhere in a checked
 * text drops everything held and everything later: the choice is blocked. Not thread-safe.
 */
final class HeldText {
  /** Gets what the held text gives off. */
  interface Listener {
    /** A finding, once. */
    void found(GuardFinding finding);

    /** Text checked and released, masked: one call per window (never empty). */
    void released(String text);
  }

  private final OutputGuard guard;
  private final Listener listener;
  private final StringBuilder held;
  private final Set<String> wholeSeen = new HashSet<>();
  private int carried;
  private List<GuardFinding> blocking;

  HeldText(OutputGuard guard, Listener listener) {
    this.guard = guard;
    this.listener = listener;
    this.held = new StringBuilder(Math.min(guard.windowChars() + guard.overlapChars(), 1024));
  }

  /** Whether a BLOCK finding stopped this choice. */
  boolean blocked() {
    return blocking != null;
  }

  /** The findings that blocked this choice (all of that window's), once {@link #blocked}. */
  List<GuardFinding> blocking() {
    return blocking == null ? List.of() : blocking;
  }

  /**
   * Takes {@code text} in, checking and releasing each window it fills; when a window blocks, the rest is dropped and
   * {@link #blocked} says so (the windows before it were released).
   */
  void append(CharSequence text) {
    int window = guard.windowChars();
    int i = 0;
    while (i < text.length() && blocking == null) {
      int end = Math.min(text.length(), i + window - (held.length() - carried));
      held.append(text, i, end);
      i = end;
      if (held.length() - carried >= window) {
        check(false);
      }
    }
  }

  /** Checks and releases everything held (the choice is ending, or something must follow its text). */
  void flush() {
    if (blocking == null && !held.isEmpty()) {
      check(true);
    }
  }

  private void check(boolean last) {
    List<GuardFinding> found = guard.inspect(held);
    int length = held.length();
    for (GuardFinding f : found) {
      if (f.action() == GuardAction.BLOCK && (last || !atTheEdge(f.start(), f.end(), length))) {
        blocking = List.copyOf(found);
        found.forEach(this::report);
        held.setLength(0);
        held.trimToSize();
        carried = 0;
        return;
      }
    }
    List<Placeholders.Span> spans = Placeholders.spans(found, length);
    int cut = last ? length : cut(found, spans);
    for (GuardFinding f : found) {
      if (!f.hasSpan() || f.start() < cut) {
        report(f);
      }
    }
    if (cut > 0) {
      listener.released(Placeholders.mask(held, cut, spans));
      held.delete(0, cut);
    }
    carried = held.length();
  }

  /**
   * Whether a span runs to the end of a window and starts within its overlap: what it points at may go on in text not
   * yet arrived (a number's first digits, a word's first letters), so it is judged in the next window, whole.
   */
  private boolean atTheEdge(int start, int end, int length) {
    return end > start && end >= length && start >= length - guard.overlapChars();
  }

  private int cut(List<GuardFinding> found, List<Placeholders.Span> spans) {
    int length = held.length();
    int overlap = guard.overlapChars();
    int cut = length - overlap;
    for (int p = Math.max(cut - 1, 0); p < length - overlap / 2 - 1; p++) {
      if (Character.isWhitespace(held.charAt(p))) {
        cut = p + 1;
        break;
      }
    }
    if (cut > 0 && Character.isHighSurrogate(held.charAt(cut - 1))) {
      cut += cut < length ? 1 : -1;
    }
    for (GuardFinding f : found) {
      if (atTheEdge(f.start(), f.end(), length)) {
        cut = Math.min(cut, f.start());
      }
    }
    for (Placeholders.Span s : spans) {
      if (atTheEdge(s.start(), s.end(), length)) {
        cut = Math.min(cut, s.start());
      } else if (s.start() < cut && s.end() > cut) {
        cut = s.end();
      }
    }
    return cut;
  }

  private void report(GuardFinding f) {
    if (f.hasSpan()
        || wholeSeen.add(f.action() + "|" + f.category() + "|" + f.severity() + "|" + f.ruleId())) {
      listener.found(f);
    }
  }

  @Override
  public String toString() {
    return "HeldText[" + held.length() + " chars, " + carried + " carried, blocked=" + blocked() + "]";
  }
}
