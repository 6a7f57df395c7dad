package dev.spillway.core.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One labelled text of the PII evaluation: the text, the spans of personal data in it, and what the text was made to
 * test. {@code subject} is the entity it is about ({@code credit_card}, ...) or {@code other} for the generic near
 * misses (dates, prices, tracking numbers...); {@code kind} names the variety ({@code visa}, {@code luhn_fails},
 * {@code version}, ...) so that errors can be counted by variety; {@code nearMiss} says it was made to look like the
 * subject without being one.
 */
public record PiiSample(String subject, String kind, boolean nearMiss, String text, List<Label> labels) {

  /** A span of one entity in the text. */
  public record Label(PiiEntity entity, int start, int end) {}

  /** A value in a template: labelled when {@code entity} is not null, plain text otherwise. */
  public record Slot(PiiEntity entity, String value) {
    public Slot {
      Objects.requireNonNull(value, "value");
    }

    static Slot pii(PiiEntity entity, String value) {
      return new Slot(Objects.requireNonNull(entity), value);
    }

    static Slot plain(String value) {
      return new Slot(null, value);
    }
  }

  public PiiSample {
    labels = List.copyOf(labels);
  }

  /**
   * A sample from a template whose {@code {}} markers are filled by the slots in order; each labelled slot becomes a
   * label at the offsets it lands on.
   */
  static PiiSample fill(String subject, String kind, boolean nearMiss, String template, Slot... slots) {
    StringBuilder text = new StringBuilder();
    List<Label> labels = new ArrayList<>();
    int from = 0;
    for (Slot slot : slots) {
      int at = template.indexOf("{}", from);
      if (at < 0) {
        throw new IllegalArgumentException("more slots than markers in: " + template);
      }
      text.append(template, from, at);
      if (slot.entity() != null) {
        labels.add(new Label(slot.entity(), text.length(), text.length() + slot.value().length()));
      }
      text.append(slot.value());
      from = at + 2;
    }
    if (template.indexOf("{}", from) >= 0) {
      throw new IllegalArgumentException("more markers than slots in: " + template);
    }
    text.append(template, from, template.length());
    return new PiiSample(subject, kind, nearMiss, text.toString(), labels);
  }
}
