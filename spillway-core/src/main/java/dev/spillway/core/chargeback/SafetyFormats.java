package dev.spillway.core.chargeback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.ledger.SafetyTotals.Bucket;
import dev.spillway.core.ledger.SafetyTotals.CategoryCounts;
import dev.spillway.core.ledger.SafetyTotals.EndUserCounts;
import dev.spillway.core.ledger.SafetyTotals.SeverityCounts;
import dev.spillway.core.ledger.TimeBucket;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The safety report in each {@link ReportFormat}. An empty consumer, end user or category is {@link ReportRow#NONE}
 * in every format.
 *
 * <ul>
 *   <li>JSON: {@code {"bucket","from","to","buckets":[...],"totals":{...},"endUsers":[...],"rankedEndUsers",
 *       "thresholds":{"minRequests","topEndUsers"}}}; a bucket is {@code {"start","requests","flagged","logged",
 *       "masked","blocked","blockedShare","categories":[{"category","logged","masked","blocked"}],"maxSeverity",
 *       "severities":[{"severity","flagged","logged","masked","blocked","blockedShare","categories":[...]}]}} (the
 *       totals without {@code start}; a severity's categories are its rows per category, shaped as the bucket's;
 *       severities without flagged rows are left out, the rest in rising order), an end user {@code {"consumer","endUser","requests","flagged","blocked","flaggedShare",
 *       "categories":{"name":flagged}}}. Shares are numbers with three decimals, or null without requests.
 *   <li>CSV: one table, RFC 4180 with CRLF; its first column says what a line is: {@code bucket} (all categories of a
 *       bucket), {@code category} (one category of a bucket; {@code requests} and the shares are the bucket's
 *       requests), {@code severity} (the flagged rows of one severity of a bucket, all categories; its {@code
 *       category} cell holds the severity, 0 to 7; {@code requests} and the shares are the bucket's) and {@code
 *       end_user} (the categories as {@code name=flagged} joined by {@code ;}); the totals are the {@code bucket},
 *       {@code category} and {@code severity} lines whose start is {@code TOTAL}. The {@code severity} lines come
 *       after the totals' {@code category} lines, the buckets' in time order and then the totals', each bucket's in
 *       rising order of severity. Cells of caller-named text (end
 *       users, categories, consumers) that begin like a spreadsheet formula get a leading apostrophe.
 *   <li>Table: the buckets with their categories beneath, the totals; then per bucket and in total the flagged rows
 *       per severity, highest first, with their categories; then the ranked end users.
 * </ul>
 */
final class SafetyFormats {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private SafetyFormats() {}

  static String json(SafetyReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("bucket", report.bucket().id());
    root.put("from", report.period().from().toString());
    root.put("to", report.period().to().toString());
    ArrayNode buckets = root.putArray("buckets");
    report.buckets().forEach(b -> bucket(buckets.addObject().put("start", b.start().toString()), b));
    bucket(root.putObject("totals"), report.totals());
    ArrayNode users = root.putArray("endUsers");
    for (EndUserCounts u : report.topEndUsers()) {
      ObjectNode n = users.addObject();
      n.put("consumer", orNone(u.consumer()));
      n.put("endUser", orNone(u.endUser()));
      n.put("requests", u.requests());
      n.put("flagged", u.flagged());
      n.put("blocked", u.blocked());
      share(n, "flaggedShare", SafetyReport.flaggedShare(u));
      ObjectNode categories = n.putObject("categories");
      u.flaggedByCategory().forEach((c, count) -> categories.put(orNone(c), count));
    }
    root.put("rankedEndUsers", report.rankedEndUsers());
    ObjectNode thresholds = root.putObject("thresholds");
    thresholds.put("minRequests", SafetyReport.MIN_REQUESTS);
    thresholds.put("topEndUsers", SafetyReport.TOP_END_USERS);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static void bucket(ObjectNode n, Bucket b) {
    n.put("requests", b.requests());
    n.put("flagged", b.flagged());
    n.put("logged", b.logged());
    n.put("masked", b.masked());
    n.put("blocked", b.blocked());
    share(n, "blockedShare", SafetyReport.blockedShare(b));
    ArrayNode categories = n.putArray("categories");
    for (CategoryCounts c : b.categories()) {
      categories.addObject().put("category", orNone(c.category())).put("logged", c.logged()).put("masked", c.masked())
          .put("blocked", c.blocked());
    }
    n.put("maxSeverity", b.maxSeverity());
    ArrayNode severities = n.putArray("severities");
    for (SeverityCounts s : b.severities()) {
      ObjectNode level = severities.addObject().put("severity", s.severity()).put("flagged", s.flagged())
          .put("logged", s.logged()).put("masked", s.masked()).put("blocked", s.blocked());
      share(level, "blockedShare", SafetyReport.share(s.blocked(), b.requests()));
      ArrayNode atLevel = level.putArray("categories");
      for (CategoryCounts c : b.categories()) {
        SeverityCounts at = c.at(s.severity());
        if (at.flagged() > 0) {
          atLevel.addObject().put("category", orNone(c.category())).put("logged", at.logged())
              .put("masked", at.masked()).put("blocked", at.blocked());
        }
      }
    }
  }

  private static void share(ObjectNode n, String field, Optional<BigDecimal> share) {
    if (share.isPresent()) {
      n.put(field, share.get());
    } else {
      n.putNull(field);
    }
  }

  static String csv(SafetyReport report) {
    StringBuilder out = new StringBuilder();
    line(out, List.of("section", "start", "category", "consumer", "end_user", "requests", "flagged", "logged",
        "masked", "blocked", "blocked_share", "flagged_share"));
    report.buckets().forEach(b -> bucketLines(out, b.start().toString(), b));
    bucketLines(out, ReportRow.TOTAL, report.totals());
    report.buckets().forEach(b -> severityLines(out, b.start().toString(), b));
    severityLines(out, ReportRow.TOTAL, report.totals());
    for (EndUserCounts u : report.topEndUsers()) {
      String categories = u.flaggedByCategory().entrySet().stream()
          .map(e -> orNone(e.getKey()) + "=" + e.getValue()).collect(Collectors.joining(";"));
      line(out, List.of("end_user", "", categories, orNone(u.consumer()), orNone(u.endUser()),
          Long.toString(u.requests()), Long.toString(u.flagged()), "", "", Long.toString(u.blocked()),
          csvShare(SafetyReport.share(u.blocked(), u.requests())), csvShare(SafetyReport.flaggedShare(u))));
    }
    return out.toString();
  }

  private static void bucketLines(StringBuilder out, String start, Bucket b) {
    line(out, List.of("bucket", start, "", "", "", Long.toString(b.requests()), Long.toString(b.flagged()),
        Long.toString(b.logged()), Long.toString(b.masked()), Long.toString(b.blocked()),
        csvShare(SafetyReport.blockedShare(b)), csvShare(SafetyReport.share(b.flagged(), b.requests()))));
    for (CategoryCounts c : b.categories()) {
      line(out, List.of("category", start, orNone(c.category()), "", "", Long.toString(b.requests()),
          Long.toString(c.flagged()), Long.toString(c.logged()), Long.toString(c.masked()),
          Long.toString(c.blocked()), csvShare(SafetyReport.share(c.blocked(), b.requests())),
          csvShare(SafetyReport.share(c.flagged(), b.requests()))));
    }
  }

  private static void severityLines(StringBuilder out, String start, Bucket b) {
    for (SeverityCounts s : b.severities()) {
      line(out, List.of("severity", start, Integer.toString(s.severity()), "", "", Long.toString(b.requests()),
          Long.toString(s.flagged()), Long.toString(s.logged()), Long.toString(s.masked()),
          Long.toString(s.blocked()), csvShare(SafetyReport.share(s.blocked(), b.requests())),
          csvShare(SafetyReport.share(s.flagged(), b.requests()))));
    }
  }

  private static String csvShare(Optional<BigDecimal> share) {
    return share.map(BigDecimal::toPlainString).orElse("");
  }

  /** Every cell made inert ({@link ReportCsv#inert}) and quoted as needed: categories and end users are data. */
  private static void line(StringBuilder out, List<String> fields) {
    out.append(fields.stream().map(f -> ReportCsv.field(ReportCsv.inert(f))).collect(Collectors.joining(",")))
        .append("\r\n");
  }

  static String table(SafetyReport report) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {report.bucket().id(), "category", "requests", "flagged", "logged", "masked", "blocked",
        "blocked share"});
    report.buckets().forEach(b -> bucketCells(lines, label(report.bucket(), b), b));
    lines.add(null);
    bucketCells(lines, ReportRow.TOTAL, report.totals());
    StringBuilder out = new StringBuilder();
    out.append("Safety verdicts by ").append(report.bucket().id()).append(" (UTC), ").append(report.period().from())
        .append(" to ").append(report.period().to()).append("\n\n");
    TextColumns.render(lines, i -> i < 2, out);
    out.append("\nflagged: logged, masked or blocked by the content guard; blocked share: blocked over all requests of"
        + " the bucket.\n\n");
    severityTable(report, out);
    if (report.topEndUsers().isEmpty()) {
      out.append("No end user with at least ").append(SafetyReport.MIN_REQUESTS)
          .append(" requests in the period was flagged.\n");
      return out.toString();
    }
    out.append("End users by flagged share (at least ").append(SafetyReport.MIN_REQUESTS).append(" requests; ")
        .append(report.rankedEndUsers()).append(" ranked, ").append(report.topEndUsers().size()).append(" shown):\n\n");
    List<String[]> users = new ArrayList<>();
    users.add(new String[] {"consumer", "end user", "requests", "flagged", "blocked", "flagged share", "categories"});
    for (EndUserCounts u : report.topEndUsers()) {
      users.add(new String[] {orNone(u.consumer()), orNone(u.endUser()), Long.toString(u.requests()),
          Long.toString(u.flagged()), Long.toString(u.blocked()), percent(SafetyReport.flaggedShare(u)),
          u.flaggedByCategory().entrySet().stream().map(e -> orNone(e.getKey()) + " " + e.getValue())
              .collect(Collectors.joining(", "))});
    }
    TextColumns.render(users, i -> i < 2 || i == 6, out);
    return out.toString();
  }

  /** The flagged rows per severity of each bucket and of the totals, highest severity first. */
  private static void severityTable(SafetyReport report, StringBuilder out) {
    if (report.totals().flagged() == 0) {
      out.append("No request in the period was flagged, at any severity.\n\n");
      return;
    }
    out.append("Flagged by severity (0 to 7, Azure AI Content Safety's scale; 0 where a finding had none):\n\n");
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {report.bucket().id(), "severity", "flagged", "logged", "masked", "blocked",
        "blocked share", "categories"});
    report.buckets().stream().filter(b -> b.flagged() > 0)
        .forEach(b -> severityCells(lines, label(report.bucket(), b), b));
    lines.add(null);
    severityCells(lines, ReportRow.TOTAL, report.totals());
    TextColumns.render(lines, i -> i == 0 || i == 7, out);
    out.append("\n");
  }

  private static void severityCells(List<String[]> lines, String label, Bucket b) {
    List<SeverityCounts> severities = b.severities().reversed();
    for (int i = 0; i < severities.size(); i++) {
      SeverityCounts s = severities.get(i);
      String categories = b.categories().stream().filter(c -> c.at(s.severity()).flagged() > 0)
          .map(c -> {
            SeverityCounts at = c.at(s.severity());
            return orNone(c.category()) + " " + at.flagged() + (at.blocked() > 0 ? " (" + at.blocked() + " blocked)"
                : "");
          })
          .collect(Collectors.joining(", "));
      lines.add(new String[] {i == 0 ? label : "", Integer.toString(s.severity()), Long.toString(s.flagged()),
          Long.toString(s.logged()), Long.toString(s.masked()), Long.toString(s.blocked()),
          percent(SafetyReport.share(s.blocked(), b.requests())), categories});
    }
  }

  private static void bucketCells(List<String[]> lines, String label, Bucket b) {
    lines.add(new String[] {label, "all", Long.toString(b.requests()), Long.toString(b.flagged()),
        Long.toString(b.logged()), Long.toString(b.masked()), Long.toString(b.blocked()),
        percent(SafetyReport.blockedShare(b))});
    for (CategoryCounts c : b.categories()) {
      lines.add(new String[] {"", orNone(c.category()), "", Long.toString(c.flagged()), Long.toString(c.logged()),
          Long.toString(c.masked()), Long.toString(c.blocked()),
          percent(SafetyReport.share(c.blocked(), b.requests()))});
    }
  }

  private static String label(TimeBucket bucket, Bucket b) {
    return (bucket == TimeBucket.DAY ? DAY : HOUR).format(b.start());
  }

  private static String percent(Optional<BigDecimal> share) {
    return share.map(PromptCacheFormats::percent).orElse("-");
  }

  private static String orNone(String key) {
    return key.isEmpty() ? ReportRow.NONE : key;
  }
}
