package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import dev.spillway.bench.CachePrecisionBenchmark.Run;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a {@link CachePrecisionBenchmark.Run} as {@code cache-precision.md} and {@code .json}. */
final class CachePrecisionReport {
  static final String NAME = "cache-precision";

  private CachePrecisionReport() {}

  static Path write(Run run) {
    return ReportEnvironment.write(run.settings().outDir(), NAME, () -> markdown(run), () -> json(run));
  }

  /** The chosen threshold and what it gives, in a few lines. */
  static String summary(Run run) {
    StringBuilder s = new StringBuilder();
    if (Double.isNaN(run.chosen())) {
      s.append(f("No threshold from %.2f to %.2f keeps false hits ≤ %.0f %% on every selecting public set (guards on)"
          + " with none on the hard negatives.", run.settings().from(), run.settings().to(),
          CachePrecisionBenchmark.MAX_FALSE_HITS * 100));
    } else {
      s.append(f("Default threshold: %.2f (the lowest of the sweep with ≤ %.0f %% false hits, guards on, on every"
          + " selecting public set and none on the hard negatives).", run.chosen(),
          CachePrecisionBenchmark.MAX_FALSE_HITS * 100));
    }
    s.append(f(" CacheSettings.DEFAULT_THRESHOLD is %.2f.", run.configuredDefault()));
    double t = Double.isNaN(run.chosen()) ? run.configuredDefault() : run.chosen();
    s.append(f("\nAt %.2f:", t));
    for (int i = 0; i < run.publicScores().size(); i++) {
      PairScores p = run.publicScores().get(i);
      s.append(f("\n- %s (%s): %s of paraphrases hit, %s of non-paraphrases (without the guards: %s and %s).",
          p.set(), run.selects(i) ? "selects" : "reported only", rate(p, t, true, true), rate(p, t, false, true),
          rate(p, t, true, false), rate(p, t, false, false)));
    }
    s.append(f("\n- hard negatives: %d of %d pass the guards (%d reach the threshold without them).",
        run.hardNegatives().hits(t, false, true), run.hardNegatives().size(), run.hardNegatives().hits(t, false, false)));
    s.append(f("\n- own paraphrases: %s hit (%s without the guards).", rate(run.paraphrases(), t, true, true),
        rate(run.paraphrases(), t, true, false)));
    s.append(f("\n- beyond the guards: %d of %d reach the threshold.", run.beyond().hits(t, false, true),
        run.beyond().size()));
    return s.toString();
  }

  static String rate(PairScores p, double t, boolean positive, boolean guarded) {
    int total = p.count(positive);
    return total == 0 ? "n/a" : f("%.1f %%", 100.0 * p.hits(t, positive, guarded) / total);
  }

  static String markdown(Run run) {
    StringBuilder md = new StringBuilder("# Semantic cache precision\n\n");
    md.append(ReportEnvironment.header("CachePrecisionBenchmark", "bench/run-cache-precision",
        "One process: the in-process embedder (all-MiniLM-L6-v2, quantized) and the lexical guards.",
        run.startedAt(), run.loadAtStart(), run.loadAtEnd()));
    md.append("## Default\n\n").append(summary(run)).append("\n\n");
    if (!run.settings().note().isEmpty()) {
      md.append("## Choice of sets\n\n").append(run.settings().note()).append("\n\n");
    }
    md.append("A hit is a pair whose cosine similarity reaches the threshold (and, with the guards, that the lexical"
        + " guards let pass). Hit rate: hits among true paraphrases. False-hit rate: hits among pairs that are not"
        + " paraphrases — each one a cached answer given to a different question.\n\n");
    md.append("## Data\n\n| set | role | pairs | paraphrases | not | left out | licence | source |\n"
        + "|---|---|---:|---:|---:|---:|---|---|\n");
    for (int i = 0; i < run.sets().size(); i++) {
      LabelledPairs s = run.sets().get(i);
      md.append(f("| %s | %s | %d | %d | %d | %d | %s | %s |\n", s.name(), run.selects(i) ? "selects" : "reported",
          s.pairs().size(), s.paraphrases(), s.pairs().size() - s.paraphrases(), s.leftOut(), s.license(),
          s.source().isEmpty() ? "—" : s.source()));
    }
    md.append(f("| hard negatives (QuestionPairs) | selects | %d | 0 | %d | 0 | this project | made by the tests |\n",
        run.hardNegatives().size(), run.hardNegatives().size()));
    md.append(f("| own paraphrases (QuestionPairs) | reported | %d | %d | 0 | 0 | this project | made by the tests |\n",
        run.paraphrases().size(), run.paraphrases().size()));
    md.append(f("| beyond the guards (QuestionPairs) | reported | %d | 0 | %d | 0 | this project | made by the tests |\n\n",
        run.beyond().size(), run.beyond().size()));
    for (PairScores p : run.publicScores()) {
      md.append("## Sweep: ").append(p.set()).append("\n\n");
      md.append(f("Mean cosine: paraphrases %.3f, non-paraphrases %.3f.\n\n", p.meanCosine(true), p.meanCosine(false)));
      md.append("| threshold | paraphrase hits, no guards | paraphrase hits, guards | false hits, no guards |"
          + " false hits, guards |\n|---:|---:|---:|---:|---:|\n");
      for (double t : run.settings().thresholds()) {
        md.append(f("| %.2f%s | %s | %s | %s | %s |\n", t, mark(run, t), rate(p, t, true, false), rate(p, t, true, true),
            rate(p, t, false, false), rate(p, t, false, true)));
      }
      md.append('\n');
    }
    md.append("## Sweep: the project's own pairs\n\n| threshold | hard negatives reaching it | hard negatives passing"
        + " the guards | own paraphrase hits, no guards | own paraphrase hits, guards | beyond the guards reaching it"
        + " |\n|---:|---:|---:|---:|---:|---:|\n");
    for (double t : run.settings().thresholds()) {
      md.append(f("| %.2f%s | %d | %d | %s | %s | %d |\n", t, mark(run, t), run.hardNegatives().hits(t, false, false),
          run.hardNegatives().hits(t, false, true), rate(run.paraphrases(), t, true, false),
          rate(run.paraphrases(), t, true, true), run.beyond().hits(t, false, true)));
    }
    md.append("\n## Guard refusals (at any similarity)\n\n| set | paraphrases refused | by rule | others refused |"
        + " by rule |\n|---|---:|---|---:|---|\n");
    for (PairScores p : allScores(run)) {
      md.append(f("| %s | %s | %s | %s | %s |\n", p.set(), refusedRate(p, true), rules(p.refusals(true)),
          refusedRate(p, false), rules(p.refusals(false))));
    }
    md.append(f("\n## Timing\n\n- Embedding: %d distinct sentences in %.1f s (%.2f ms each; batches of 256 on %d"
            + " cores), after the model's one-time load.\n", run.sentences(), run.embedMillis() / 1000.0,
        (double) run.embedMillis() / Math.max(1, run.sentences()), Runtime.getRuntime().availableProcessors()));
    md.append(f("- WordNet antonyms: read in %d ms at first use; about %.1f MiB of heap kept (after a full"
        + " collection; approximate).\n", run.wordNetLoadMillis(), run.wordNetHeapMiB()));
    for (PairScores p : allScores(run)) {
      md.append(f("- Guards on %s: %.1f µs per pair (mean).\n", p.set(), p.guardMicros()));
    }
    md.append("\n## Method\n\nEvery distinct sentence is embedded once; a pair's similarity is the dot product of its"
        + " two unit vectors. The guards (`LexicalGuards.standard()`) read each pair once, independently of the"
        + " similarity; a refusal is kept whatever the threshold. The default is the lowest threshold of the sweep"
        + " meeting both bounds. The public sets are read from the files given on the command line and are not part"
        + " of this repository.\n");
    return md.toString();
  }

  private static String mark(Run run, double t) {
    return Math.abs(t - run.chosen()) < 1e-9 ? " ◀" : "";
  }

  private static List<PairScores> allScores(Run run) {
    List<PairScores> all = new java.util.ArrayList<>(run.publicScores());
    all.add(run.hardNegatives());
    all.add(run.paraphrases());
    all.add(run.beyond());
    return all;
  }

  private static String refusedRate(PairScores p, boolean positive) {
    int total = p.count(positive);
    int refused = p.refusals(positive).values().stream().mapToInt(Integer::intValue).sum();
    return total == 0 ? "—" : f("%d of %d (%.1f %%)", refused, total, 100.0 * refused / total);
  }

  private static String rules(Map<String, Integer> byRule) {
    return byRule.isEmpty() ? "—" : String.join(", ", byRule.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).toList());
  }

  static JsonObject json(Run run) {
    JsonArray sets = new JsonArray();
    for (int i = 0; i < run.sets().size(); i++) {
      LabelledPairs s = run.sets().get(i);
      sets.add(new JsonObject().put("name", s.name()).put("selects", run.selects(i)).put("format", s.format())
          .put("license", s.license())
          .put("source", s.source()).put("pairs", s.pairs().size()).put("paraphrases", s.paraphrases())
          .put("leftOut", s.leftOut()).put("sweep", sweep(run, run.publicScores().get(i))));
    }
    JsonArray own = new JsonArray();
    for (double t : run.settings().thresholds()) {
      own.add(new JsonObject().put("threshold", t)
          .put("hardNegativesReaching", run.hardNegatives().hits(t, false, false))
          .put("hardNegativesPassingGuards", run.hardNegatives().hits(t, false, true))
          .put("ownParaphraseHits", run.paraphrases().hits(t, true, false))
          .put("ownParaphraseHitsGuarded", run.paraphrases().hits(t, true, true))
          .put("beyondGuardsReaching", run.beyond().hits(t, false, true)));
    }
    JsonObject refusals = new JsonObject();
    for (PairScores p : allScores(run)) {
      refusals.put(p.set(), new JsonObject().put("paraphrases", counts(p.refusals(true)))
          .put("others", counts(p.refusals(false))).put("guardMicrosPerPair", p.guardMicros()));
    }
    return new JsonObject()
        .put("environment", ReportEnvironment.json(run.startedAt(), run.loadAtStart(), run.loadAtEnd()))
        .put("embedder", "all-minilm-l6-v2-q")
        .put("maxFalseHitRate", CachePrecisionBenchmark.MAX_FALSE_HITS)
        .put("chosenThreshold", Double.isNaN(run.chosen()) ? null : run.chosen())
        .put("configuredDefault", run.configuredDefault())
        .put("sets", sets)
        .put("own", new JsonObject().put("hardNegatives", run.hardNegatives().size())
            .put("paraphrases", run.paraphrases().size()).put("beyondGuards", run.beyond().size()).put("sweep", own))
        .put("refusals", refusals)
        .put("timing", new JsonObject().put("sentences", run.sentences()).put("embedMillis", run.embedMillis())
            .put("wordNetLoadMillis", run.wordNetLoadMillis()).put("wordNetHeapMiB", run.wordNetHeapMiB()));
  }

  private static JsonObject counts(Map<String, Integer> byRule) {
    JsonObject o = new JsonObject();
    byRule.forEach(o::put);
    return o;
  }

  private static JsonArray sweep(Run run, PairScores p) {
    JsonArray rows = new JsonArray();
    for (double t : run.settings().thresholds()) {
      rows.add(new JsonObject().put("threshold", t)
          .put("paraphraseHits", p.hits(t, true, false)).put("paraphraseHitsGuarded", p.hits(t, true, true))
          .put("falseHits", p.hits(t, false, false)).put("falseHitsGuarded", p.hits(t, false, true))
          .put("paraphrases", p.count(true)).put("nonParaphrases", p.count(false)));
    }
    return rows;
  }
}
