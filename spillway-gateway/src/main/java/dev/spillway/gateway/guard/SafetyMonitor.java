package dev.spillway.gateway.guard;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.SafetySummary;
import dev.spillway.core.guard.abuse.AbuseAction;
import dev.spillway.core.guard.abuse.AbuseScores;
import dev.spillway.core.guard.abuse.AbuseSettings;
import dev.spillway.core.guard.abuse.EndUser;
import dev.spillway.core.guard.abuse.Harm;
import dev.spillway.core.guard.abuse.Score;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the guards found, across requests: the recent safety events (one per flagged request, never the matched text),
 * every end user's abuse score ({@link AbuseScores}) and the actions their scores called for — an alert (a warning
 * line naming the consumer and a hash of the end user, and a metric), a throttle (a token limit through the gateway's
 * limiter), a suspension (403 until an administrator lifts it). Each action is taken once per user as the score passes
 * its mark, and audited. In this process only: replicas each keep their own. Thread-safe.
 */
public final class SafetyMonitor {
  private static final System.Logger AUDIT = System.getLogger("spillway.audit");
  private static final System.Logger LOG = System.getLogger("spillway.guard");
  /** Events kept for the admin API and the dashboard. */
  static final int MAX_EVENTS = 10_000;

  /** One flagged request, as the admin API shows it. */
  public record SafetyEvent(long atMillis, String requestId, String consumer, String team, String endUser,
      String category, int severity, GuardAction action, String source, String direction, String ruleId,
      String matchHash) {}

  /** An action taken about an end user, as the audit keeps it. */
  public record Audit(long atMillis, EndUser user, AbuseAction action, double score, String by) {}

  private final AbuseSettings settings;
  private final AbuseScores scores;
  private final Clock clock;
  private final Deque<SafetyEvent> events = new ArrayDeque<>();
  private final Deque<Audit> audits = new ArrayDeque<>();
  private final Map<EndUser, AbuseAction> applied = new ConcurrentHashMap<>();
  private volatile Consumer<AbuseAction> onAction = a -> { };
  private long requests;
  private long flagged;
  private long blocked;

  public SafetyMonitor(AbuseSettings settings, Clock clock) {
    this.settings = settings;
    this.scores = new AbuseScores(settings);
    this.clock = clock;
  }

  /** Called for each action taken (the metrics count them). */
  public void onAction(Consumer<AbuseAction> listener) {
    this.onAction = listener;
  }

  public AbuseSettings settings() {
    return settings;
  }

  /** What is in force for {@code user} now: none, an alert, a throttle or a suspension. */
  public AbuseAction actionFor(EndUser user) {
    return applied.getOrDefault(user, AbuseAction.NONE);
  }

  /**
   * One finished request: counted, its strongest finding kept as an event, its end user (when it named one) scored;
   * an action whose mark the score just passed is taken.
   */
  public void record(String requestId, String consumer, String team, Optional<EndUser> user, SafetySummary summary) {
    record(requestId, consumer, team, user, summary, "");
  }

  /**
   * As {@link #record(String, String, String, Optional, SafetySummary)}, with a hash of the text the strongest finding
   * matched ({@link #matchHash}; empty when none), so repeated attempts can be told apart without keeping the text.
   */
  public void record(String requestId, String consumer, String team, Optional<EndUser> user, SafetySummary summary,
      String matchHash) {
    long now = clock.millis();
    Optional<SafetySummary.Sourced> top = summary.strongest();
    synchronized (this) {
      requests++;
      if (top.isPresent()) {
        GuardFinding f = top.get().finding();
        flagged++;
        if (f.action() == GuardAction.BLOCK) {
          blocked++;
        }
        events.addLast(new SafetyEvent(now, requestId, consumer, team, user.map(EndUser::id).orElse(""), f.category(),
            f.severity(), f.action(), top.get().source().label(), top.get().direction().label(), f.ruleId(),
            matchHash));
        if (events.size() > MAX_EVENTS) {
          events.removeFirst();
        }
      }
    }
    if (user.isEmpty()) {
      return;
    }
    Harm harm = top.map(s -> new Harm(s.finding().category(), s.finding().severity(),
        s.finding().action() == GuardAction.BLOCK)).orElse(Harm.NONE);
    Score score = scores.record(user.get(), harm, now);
    AbuseAction reached = settings.actionFor(score.score());
    AbuseAction before = applied.getOrDefault(user.get(), AbuseAction.NONE);
    if (reached.compareTo(before) > 0) {
      applied.put(user.get(), reached);
      audit(new Audit(now, user.get(), reached, score.score(), "abuse score"));
      onAction.accept(reached);
      LOG.log(System.Logger.Level.WARNING, "guard: end user " + redacted(user.get()) + " of consumer "
          + user.get().consumer() + " reached " + reached.name().toLowerCase(java.util.Locale.ROOT)
          + String.format(java.util.Locale.ROOT, " (abuse score %.2f)", score.score()));
    }
  }

  /** Lifts whatever is in force for {@code user} (an administrator's decision); returns what was. */
  public AbuseAction lift(EndUser user, String by) {
    AbuseAction was = applied.remove(user);
    if (was == null) {
      return AbuseAction.NONE;
    }
    audit(new Audit(clock.millis(), user, AbuseAction.NONE, scores.score(user, clock.millis()).map(Score::score)
        .orElse(0.0), by));
    return was;
  }

  private synchronized void audit(Audit a) {
    audits.addLast(a);
    if (audits.size() > MAX_EVENTS) {
      audits.removeFirst();
    }
    AUDIT.log(System.Logger.Level.INFO, "guard: " + (a.action() == AbuseAction.NONE ? "lifted" : a.action().name()
        .toLowerCase(java.util.Locale.ROOT)) + " end user " + redacted(a.user()) + " of consumer " + a.user().consumer()
        + " by " + a.by());
  }

  /** A matched text as events keep it: the first 12 hex digits of its SHA-256, never the text. */
  public static String matchHash(CharSequence matched) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(matched.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An end user in a log line: a short hash, never the id (it may be personal data). */
  static String redacted(EndUser user) {
    return "#" + matchHash(user.consumer() + "\0" + user.id());
  }


  public synchronized List<SafetyEvent> events() {
    return new ArrayList<>(events);
  }

  public synchronized List<Audit> audits() {
    return new ArrayList<>(audits);
  }

  /** The flagged end users, highest score first. */
  public List<Score> topUsers(int limit) {
    return scores.top(limit, clock.millis());
  }

  public Optional<Score> score(EndUser user) {
    return scores.score(user, clock.millis());
  }

  /** Requests seen, flagged and blocked since start. */
  public synchronized long[] totals() {
    return new long[] {requests, flagged, blocked};
  }

  public long nowMillis() {
    return clock.millis();
  }
}
