package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import dev.spillway.bench.PiiQualityBenchmark.Run;
import dev.spillway.bench.PiiQualityBenchmark.SeedRun;
import dev.spillway.core.guard.pii.PiiEntity;
import dev.spillway.core.guard.pii.PiiSample;
import dev.spillway.core.guard.pii.PiiScores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Writes a {@link PiiQualityBenchmark.Run} as {@code guard-pii.md} and {@code .json}. */
final class PiiQualityReport {
  static final String NAME = "guard-pii";

  private PiiQualityReport() {}

  static Path write(Run run) {
    return ReportEnvironment.write(run.settings().outDir(), NAME, () -> markdown(run), () -> json(run));
  }

  /** The per-entity table of the main seed, in Markdown. */
  static String table(Run run) {
    StringBuilder t = new StringBuilder("| entity | items | labels | TP | FP | FN | precision | recall |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    PiiScores s = run.main().scores();
    int[] sum = new int[5];
    for (Map.Entry<PiiEntity, PiiScores.Tally> e : s.all().entrySet()) {
      PiiScores.Tally x = e.getValue();
      t.append(f("| %s | %d | %d | %d | %d | %d | %.4f | %.4f |\n", e.getKey().id(), x.items(), x.labels(),
          x.truePositives(), x.falsePositives(), x.falseNegatives(), x.precision(), x.recall()));
      int[] add = {x.items(), x.labels(), x.truePositives(), x.falsePositives(), x.falseNegatives()};
      for (int k = 0; k < 5; k++) {
        sum[k] += add[k];
      }
    }
    Map<String, Integer> rest = subjects(run);
    t.append(f("| (mixed texts) | %d | | | | | | |\n", rest.getOrDefault("mixed", 0)));
    t.append(f("| (generic near misses) | %d | | | | | | |\n", rest.getOrDefault("other", 0)));
    t.append(f("| **all** | %d | %d | %d | %d | %d | %.4f | %.4f |\n", run.sample().size(), sum[1], sum[2], sum[3],
        sum[4], (double) sum[2] / Math.max(1, sum[2] + sum[3]), (double) sum[2] / Math.max(1, sum[2] + sum[4])));
    return t.toString();
  }

  private static Map<String, Integer> subjects(Run run) {
    Map<String, Integer> n = new TreeMap<>();
    for (PiiSample s : run.sample()) {
      n.merge(s.subject(), 1, Integer::sum);
    }
    return n;
  }

  static String markdown(Run run) {
    StringBuilder md = new StringBuilder("# PII guard: precision and recall\n\n");
    md.append(ReportEnvironment.header("PiiQualityBenchmark", "bench/run-guard-pii",
        "One process: the PII check (spillway-core) over a generated sample; no network.", run.startedAt(),
        run.loadAtStart(), run.loadAtEnd()));
    md.append(f("## Seed %d (%d labelled texts)\n\n", run.settings().seed(), run.sample().size()));
    md.append("Every entity configured (`PiiCheck.builder().allEntities(MASK)`), phone region US. *items*: texts"
        + " made about the entity (250 holding valid values, 150 near misses); *labels*: spans of the entity in the"
        + " whole sample (the mixed texts add some). A finding counts as a true positive only when its entity and both"
        + " offsets equal a label's.\n\n");
    md.append(table(run)).append('\n');
    md.append("## Where the errors are\n\n");
    if (run.main().scores().errors().isEmpty()) {
      md.append("None.\n\n");
    } else {
      md.append("| variety (subject/kind) | entity reported or missed | FP | FN |\n|---|---|---:|---:|\n");
      for (PiiScores.Errors e : run.main().scores().errors()) {
        md.append(f("| %s | %s | %d | %d |\n", e.variety(), e.entity().id(), e.falsePositives(),
            e.falseNegatives()));
      }
      md.append('\n');
    }
    if (!run.others().isEmpty()) {
      md.append(f("## Other seeds (1 to %d)\n\nThe same generator with other seeds draws other values into the same"
          + " templates. Lowest figure over these seeds and the main one:\n\n| entity | lowest precision | lowest"
          + " recall |\n|---|---:|---:|\n", run.settings().seeds()));
      for (PiiEntity e : PiiEntity.values()) {
        double[] low = run.lowest(e);
        md.append(f("| %s | %.4f | %.4f |\n", e.id(), low[0], low[1]));
      }
      Map<String, int[]> errs = new TreeMap<>();
      for (SeedRun o : run.others()) {
        for (PiiScores.Errors e : o.scores().errors()) {
          int[] c = errs.computeIfAbsent(e.variety() + " → " + e.entity().id(), k -> new int[2]);
          c[0] += e.falsePositives();
          c[1] += e.falseNegatives();
        }
      }
      md.append("\nErrors summed over the other seeds:\n\n| variety → entity | FP | FN |\n|---|---:|---:|\n");
      errs.forEach((k, c) -> md.append(f("| %s | %d | %d |\n", k, c[0], c[1])));
      md.append('\n');
    }
    SeedRun m = run.main();
    md.append(f("## Time\n\n%d texts (%d characters, %.0f on average) in %.1f ms, after the scoring runs above"
        + " warmed everything up (the fastest of three passes): %.1f µs per text, every recognizer run. Each"
        + " recognizer alone (a check with that entity only):\n\n| entity | µs per text |\n|---|---:|\n", m.texts(),
        m.characters(), (double) m.characters() / m.texts(), run.nanos() / 1e6, run.microsPerText(run.nanos())));
    run.nanosByEntity().forEach((e, nanos) -> md.append(f("| %s | %.1f |\n", e.id(), run.microsPerText(nanos))));
    md.append("\nEvery text of the sample holds digits; a text with fewer than four skips the phone scan, and one"
        + " without an `@` the e-mail scan.\n\n");
    md.append("## What the figures are, and are not\n\n"
        + "- The sample is synthetic: templates of everyday sentences filled with made-up values. Valid values follow"
        + " the standards (Luhn and issuer prefixes, ISO 13616 check digits computed with BigInteger, the SSA's"
        + " rules, phone ranges in service in eleven regions, IPv4 and IPv6 in their forms); near misses break one"
        + " rule each or are other numbers people write (dates, prices, ZIP codes, tracking numbers, barcodes,"
        + " versions, section numbers, MAC addresses, times).\n"
        + "- The recognizers were refined with this sample at hand, so these are in-sample figures. The first run"
        + " found 25 file names taken for e-mail addresses (`icon@2x.png`), phone numbers read in invoice numbers"
        + " (`INV-2024-525703`), in mistyped IBANs and in FedEx numbers, 16-digit cards read out of 17- and 19-digit"
        + " runs, EAN barcodes taken for 13-digit Visa numbers and section numbers taken for addresses; each became a"
        + " rule (see the recognizers' class comments), and other seeds were then checked for errors the main seed"
        + " does not show.\n"
        + "- What remains is reported as it is: a bare four-part version (`upgraded to 5.7.10.181`) cannot be told"
        + " from an IPv4 address.\n"
        + "- Not measured here: national phone numbers of a region other than the configured one (read in the"
        + " default region, they are not found: configure `phoneRegion`), card numbers followed by their code in the"
        + " same digit run (`5555 5555 5555 4444 737` is judged whole and refused), addresses outside the e-mail"
        + " subset (quoted local parts, non-ASCII), and real-world text, which this sample only imitates.\n");
    return md.toString();
  }

  static JsonObject json(Run run) {
    JsonObject entities = new JsonObject();
    run.main().scores().all().forEach((e, x) -> {
      double[] low = run.lowest(e);
      entities.put(e.id(), new JsonObject().put("items", x.items()).put("labels", x.labels())
          .put("tp", x.truePositives()).put("fp", x.falsePositives()).put("fn", x.falseNegatives())
          .put("precision", x.precision()).put("recall", x.recall())
          .put("lowestPrecisionOverSeeds", low[0]).put("lowestRecallOverSeeds", low[1]));
    });
    JsonArray errors = new JsonArray();
    for (PiiScores.Errors e : run.main().scores().errors()) {
      errors.add(new JsonObject().put("variety", e.variety()).put("entity", e.entity().id())
          .put("fp", e.falsePositives()).put("fn", e.falseNegatives()));
    }
    JsonArray seeds = new JsonArray();
    for (SeedRun o : run.others()) {
      JsonObject per = new JsonObject();
      o.scores().all().forEach((e, x) -> per.put(e.id(), new JsonObject().put("precision", x.precision())
          .put("recall", x.recall()).put("fp", x.falsePositives()).put("fn", x.falseNegatives())));
      seeds.add(new JsonObject().put("seed", o.seed()).put("texts", o.texts()).put("entities", per));
    }
    Map<String, Integer> subjects = subjects(run);
    return new JsonObject()
        .put("environment", ReportEnvironment.json(run.startedAt(), run.loadAtStart(), run.loadAtEnd()))
        .put("check", new JsonObject().put("entities", "all").put("action", "mask")
            .put("phoneRegion", run.check().phoneRegion()))
        .put("seed", run.settings().seed()).put("texts", run.sample().size())
        .put("mixedTexts", subjects.getOrDefault("mixed", 0))
        .put("genericNearMisses", subjects.getOrDefault("other", 0))
        .put("entities", entities).put("errors", errors).put("otherSeeds", seeds)
        .put("timing", new JsonObject().put("texts", run.main().texts()).put("characters", run.main().characters())
            .put("millis", run.nanos() / 1e6).put("microsPerText", run.microsPerText(run.nanos()))
            .put("microsPerTextByEntity", byEntity(run)));
  }

  private static JsonObject byEntity(Run run) {
    JsonObject o = new JsonObject();
    run.nanosByEntity().forEach((e, nanos) -> o.put(e.id(), run.microsPerText(nanos)));
    return o;
  }
}
