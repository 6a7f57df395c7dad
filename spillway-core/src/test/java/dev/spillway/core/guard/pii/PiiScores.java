package dev.spillway.core.guard.pii;

import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.pii.PiiSample.Label;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Precision and recall of a {@link PiiCheck} on a labelled sample, per entity. Strict: a finding is a true positive
 * only when its entity and both offsets equal a label's; a finding with the right entity but other bounds counts as a
 * false positive and leaves the label a false negative. Errors are also counted by the variety of sample they
 * happened in ({@link PiiSample#kind}), which says what went wrong without printing the texts.
 */
public final class PiiScores {
  /** The counts of one entity. {@code items}: samples about it; {@code labels}: its spans in the whole sample. */
  public record Tally(int items, int labels, int truePositives, int falsePositives, int falseNegatives) {
    public double precision() {
      int found = truePositives + falsePositives;
      return found == 0 ? 1.0 : (double) truePositives / found;
    }

    public double recall() {
      int all = truePositives + falseNegatives;
      return all == 0 ? 1.0 : (double) truePositives / all;
    }
  }

  /** Errors in one variety of sample: {@code subject/kind}, entity of the error, false positives, false negatives. */
  public record Errors(String variety, PiiEntity entity, int falsePositives, int falseNegatives) {}

  private final Map<PiiEntity, Tally> byEntity;
  private final List<Errors> errors;
  private final int samples;

  private PiiScores(Map<PiiEntity, Tally> byEntity, List<Errors> errors, int samples) {
    this.byEntity = byEntity;
    this.errors = errors;
    this.samples = samples;
  }

  /** Runs {@code check} on every sample and counts. */
  public static PiiScores score(PiiCheck check, List<PiiSample> sample) {
    Map<PiiEntity, int[]> counts = new EnumMap<>(PiiEntity.class); // items, labels, tp, fp, fn
    for (PiiEntity e : PiiEntity.values()) {
      counts.put(e, new int[5]);
    }
    Map<String, int[]> errorCounts = new TreeMap<>(); // "variety|entity" -> fp, fn
    for (PiiSample s : sample) {
      if (!s.subject().equals("other") && !s.subject().equals("mixed")) {
        counts.get(PiiEntity.parse(s.subject()))[0]++;
      }
      Set<Label> gold = new HashSet<>(s.labels());
      for (Label l : gold) {
        counts.get(l.entity())[1]++;
      }
      Set<Label> predicted = new HashSet<>();
      for (GuardFinding f : check.inspect(s.text())) {
        predicted.add(new Label(PiiEntity.parse(f.ruleId()), f.start(), f.end()));
      }
      String variety = s.subject() + "/" + s.kind();
      for (Label p : predicted) {
        if (gold.contains(p)) {
          counts.get(p.entity())[2]++;
        } else {
          counts.get(p.entity())[3]++;
          errorCounts.computeIfAbsent(variety + "|" + p.entity().name(), k -> new int[2])[0]++;
        }
      }
      for (Label g : gold) {
        if (!predicted.contains(g)) {
          counts.get(g.entity())[4]++;
          errorCounts.computeIfAbsent(variety + "|" + g.entity().name(), k -> new int[2])[1]++;
        }
      }
    }
    Map<PiiEntity, Tally> tallies = new EnumMap<>(PiiEntity.class);
    counts.forEach((e, c) -> tallies.put(e, new Tally(c[0], c[1], c[2], c[3], c[4])));
    List<Errors> errors = errorCounts.entrySet().stream().map(en -> {
      String[] key = en.getKey().split("\\|");
      return new Errors(key[0], PiiEntity.valueOf(key[1]), en.getValue()[0], en.getValue()[1]);
    }).toList();
    return new PiiScores(tallies, errors, sample.size());
  }

  public Tally of(PiiEntity entity) {
    return byEntity.get(entity);
  }

  /** Every entity's tally, in {@link PiiEntity} order. */
  public Map<PiiEntity, Tally> all() {
    return byEntity;
  }

  /** The varieties of sample where errors happened, by name. */
  public List<Errors> errors() {
    return errors;
  }

  public int samples() {
    return samples;
  }
}
