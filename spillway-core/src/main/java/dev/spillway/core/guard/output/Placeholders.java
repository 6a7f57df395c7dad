package dev.spillway.core.guard.output;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a masked span of an answer becomes: a placeholder named for the finding's category, so that the reader of the
 * answer sees what kind of thing was there but never the thing. The rule, in one place: a blocklist's match is {@code
 * [BLOCKED]}; any other category gives its last dotted part in upper case ({@code pii.credit_card} gives {@code
 * [CREDIT_CARD]}, {@code regex} gives {@code [REGEX]}).
 *
 * <p>Only {@link GuardAction#MASK} findings with a span are masked. Overlapping spans (a pattern and a recognizer over
 * the same number, say) merge into one span under one placeholder, that of the longest finding among them; spans that
 * only touch stay apart. A span reaching past the text's end (a faulty check) is cut at the end.
 */
public final class Placeholders {
  private Placeholders() {}

  /** One merged span to replace, {@code start} inclusive, {@code end} exclusive. */
  record Span(int start, int end, String placeholder) {}

  /** The placeholder for a finding of {@code category}. */
  public static String of(String category) {
    return dev.spillway.core.guard.Masking.placeholder(category);
  }

  /** {@code text} with the spans of its MASK findings replaced by their placeholders. */
  public static String mask(CharSequence text, List<GuardFinding> findings) {
    return mask(text, text.length(), spans(findings, text.length()));
  }

  /** The merged spans of the MASK findings among {@code findings}, in order, none past {@code length}. */
  static List<Span> spans(List<GuardFinding> findings, int length) {
    List<GuardFinding> masks = new ArrayList<>();
    for (GuardFinding f : findings) {
      if (f.action() == GuardAction.MASK && f.hasSpan() && f.start() < length) {
        masks.add(f);
      }
    }
    if (masks.isEmpty()) {
      return List.of();
    }
    masks.sort(Comparator.comparingInt(GuardFinding::start).thenComparingInt(f -> -f.end()));
    List<Span> spans = new ArrayList<>();
    int k = 0;
    while (k < masks.size()) {
      GuardFinding longest = masks.get(k++);
      int start = longest.start();
      int end = longest.end();
      while (k < masks.size() && masks.get(k).start() < end) {
        GuardFinding f = masks.get(k++);
        end = Math.max(end, f.end());
        if (f.end() - f.start() > longest.end() - longest.start()) {
          longest = f;
        }
      }
      spans.add(new Span(start, Math.min(end, length), of(longest.category())));
    }
    return spans;
  }

  /** The first {@code upTo} characters of {@code text}, the spans ending by then replaced. */
  static String mask(CharSequence text, int upTo, List<Span> spans) {
    StringBuilder out = new StringBuilder(upTo + 16);
    int copied = 0;
    for (Span s : spans) {
      if (s.end() > upTo) {
        break;
      }
      out.append(text, copied, s.start()).append(s.placeholder());
      copied = s.end();
    }
    return out.append(text, copied, upTo).toString();
  }
}
