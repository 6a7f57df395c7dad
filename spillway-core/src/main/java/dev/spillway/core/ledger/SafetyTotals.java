package dev.spillway.core.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The ledger's counts of the content guard's verdicts over a period ({@link LedgerReader#safety}): per time bucket, how
 * many requests there were and, per finding category and per severity (0 to 7, {@code safety_severity}), how many rows
 * were logged, masked or blocked; and per end user of a consumer, how many of their requests were flagged. A row is
 * flagged when its {@code safety_verdict} is {@code logged}, {@code masked} or {@code blocked}.
 *
 * <p>Design: the store counts, so a period of any length comes back as sums: one element per bucket with rows, and
 * one per end user who was flagged at least once. End users never flagged in the period are left out: they cannot
 * rank among the potentially abusive ones (their flagged share is 0), and a gateway may serve many of them.
 *
 * @param buckets the buckets that had rows, in time order
 * @param endUsers each (consumer, end user) with at least one flagged row, in no particular order; requests that
 *     named no end user count under the end user {@code ""} of their consumer
 */
public record SafetyTotals(List<Bucket> buckets, List<EndUserCounts> endUsers) {
  public SafetyTotals {
    buckets = List.copyOf(buckets);
    endUsers = List.copyOf(endUsers);
  }

  /**
   * One time bucket.
   *
   * @param start the bucket's first instant (see {@link TimeBucket#startOf})
   * @param requests every row of the bucket within the period, whatever its verdict
   * @param categories the flagged rows per category, sorted by category; a category without flagged rows is absent
   *     (a verdict recorded without a category counts under {@code ""})
   */
  public record Bucket(Instant start, long requests, List<CategoryCounts> categories) {
    public Bucket {
      Objects.requireNonNull(start, "start");
      categories = List.copyOf(categories);
    }

    public long logged() {
      return categories.stream().mapToLong(CategoryCounts::logged).sum();
    }

    public long masked() {
      return categories.stream().mapToLong(CategoryCounts::masked).sum();
    }

    public long blocked() {
      return categories.stream().mapToLong(CategoryCounts::blocked).sum();
    }

    /** Rows logged, masked or blocked. */
    public long flagged() {
      return logged() + masked() + blocked();
    }

    /** The flagged rows per severity, all categories together, in rising order of severity. */
    public List<SeverityCounts> severities() {
      return SeverityCounts.merge(categories.stream().flatMap(c -> c.severities().stream()).toList());
    }

    /** The highest severity of a flagged row, 0 without any. */
    public int maxSeverity() {
      return categories.stream().mapToInt(CategoryCounts::maxSeverity).max().orElse(SafetyVerdict.MIN_SEVERITY);
    }
  }

  /**
   * The rows of one finding category the guard logged, masked and blocked, in all and per severity.
   *
   * @param severities the same rows per severity, in rising order of severity, a severity without flagged rows absent
   *     (given in any order, repeats summed); they add up to {@code logged}, {@code masked} and {@code blocked}
   */
  public record CategoryCounts(String category, long logged, long masked, long blocked,
      List<SeverityCounts> severities) {
    public CategoryCounts {
      Objects.requireNonNull(category, "category");
      severities = SeverityCounts.merge(severities);
      long l = 0;
      long m = 0;
      long b = 0;
      for (SeverityCounts s : severities) {
        l += s.logged();
        m += s.masked();
        b += s.blocked();
      }
      if (l != logged || m != masked || b != blocked) {
        throw new IllegalArgumentException("the severities of " + category + " add up to " + l + "/" + m + "/" + b
            + " logged/masked/blocked, not " + logged + "/" + masked + "/" + blocked);
      }
    }

    /** Counts whose rows have no severity: all of them at severity 0 (as rows written before the ledger had one). */
    public CategoryCounts(String category, long logged, long masked, long blocked) {
      this(category, logged, masked, blocked,
          List.of(new SeverityCounts(SafetyVerdict.MIN_SEVERITY, logged, masked, blocked)));
    }

    public long flagged() {
      return logged + masked + blocked;
    }

    /** The rows of this category at {@code severity}; zeros when there were none. */
    public SeverityCounts at(int severity) {
      return severities.stream().filter(s -> s.severity() == severity).findFirst()
          .orElse(new SeverityCounts(severity, 0, 0, 0));
    }

    /** The highest severity of a flagged row, 0 without any. */
    public int maxSeverity() {
      return severities.isEmpty() ? SafetyVerdict.MIN_SEVERITY : severities.getLast().severity();
    }
  }

  /** The rows at one severity (0 to 7) the guard logged, masked and blocked. */
  public record SeverityCounts(int severity, long logged, long masked, long blocked) {
    public SeverityCounts {
      if (severity < SafetyVerdict.MIN_SEVERITY || severity > SafetyVerdict.MAX_SEVERITY) {
        throw new IllegalArgumentException("a severity is 0 to 7, not " + severity);
      }
      if (logged < 0 || masked < 0 || blocked < 0) {
        throw new IllegalArgumentException("counts are not negative");
      }
    }

    public long flagged() {
      return logged + masked + blocked;
    }

    /** {@code counts} summed per severity, those without flagged rows left out, in rising order of severity. */
    public static List<SeverityCounts> merge(List<SeverityCounts> counts) {
      long[][] sums = new long[SafetyVerdict.MAX_SEVERITY + 1][3];
      for (SeverityCounts c : counts) {
        sums[c.severity][0] += c.logged;
        sums[c.severity][1] += c.masked;
        sums[c.severity][2] += c.blocked;
      }
      List<SeverityCounts> out = new ArrayList<>();
      for (int s = 0; s < sums.length; s++) {
        if (sums[s][0] + sums[s][1] + sums[s][2] > 0) {
          out.add(new SeverityCounts(s, sums[s][0], sums[s][1], sums[s][2]));
        }
      }
      return List.copyOf(out);
    }
  }

  /**
   * One end user of one consumer over the whole period.
   *
   * @param consumer the consumer ({@code ""} when the row had none)
   * @param endUser the end user's id ({@link EndUser#id()}), {@code ""} for requests that named none
   * @param requests all their rows
   * @param flagged their rows logged, masked or blocked
   * @param blocked their rows blocked
   * @param flaggedByCategory their flagged rows per category, sorted by category
   */
  public record EndUserCounts(
      String consumer, String endUser, long requests, long flagged, long blocked, Map<String, Long> flaggedByCategory) {
    public EndUserCounts {
      Objects.requireNonNull(consumer, "consumer");
      Objects.requireNonNull(endUser, "endUser");
      if (blocked > flagged || flagged > requests) {
        throw new IllegalArgumentException(
            "blocked <= flagged <= requests, got " + blocked + ", " + flagged + ", " + requests);
      }
      flaggedByCategory = Collections.unmodifiableSortedMap(new TreeMap<>(flaggedByCategory));
    }

    /** Says whether there is an end user and how many requests, never who. */
    @Override
    public String toString() {
      return "EndUserCounts[consumer=" + consumer + ", endUser=" + (endUser.isEmpty() ? "none" : "hidden")
          + ", requests=" + requests + ", flagged=" + flagged + ", blocked=" + blocked + "]";
    }
  }
}
