package dev.spillway.core.guard.abuse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How likely each end user is to be abusing the service, from what the guards found in their requests: Azure's
 * "potentially abusive user detection", kept per consumer and end user by the gateway (behind one shared resource
 * Azure sees only the gateway). A decision of (state, now): every method takes the time; nothing reads a clock.
 *
 * <p><b>The score</b> of a user is its decayed harm over its decayed requests, from 0 to 1: each request counts 1, each
 * flagged one adds its harm, {@code (severity + 1) / 8} (a blocked one in full, one only logged or masked at half), and
 * both decay with {@link AbuseSettings#halfLife} so an old incident fades. Below {@link AbuseSettings#minRequests}
 * requests the denominator is that minimum, so one bad request from a user never seen before is not a score of 1.
 * <b>The trend</b> compares the same ratio at a quarter of the half-life (what the user did lately) with the score:
 * {@code rising} above 1.25 times it, {@code falling} below 0.8 times.
 *
 * <p>Bounded: at most {@link AbuseSettings#maxUsers} users are kept, the longest unseen dropped first. Thread-safe
 * (one lock; each update is a few arithmetic operations).
 */
public final class AbuseScores {
  private final AbuseSettings settings;
  private final LinkedHashMap<EndUser, State> users = new LinkedHashMap<>(256, 0.75f, true);

  public AbuseScores(AbuseSettings settings) {
    this.settings = settings;
  }

  /** One request of {@code user} at {@code nowMillis}, with what was found in it (or {@link Harm#NONE}). */
  public synchronized Score record(EndUser user, Harm harm, long nowMillis) {
    State s = users.get(user);
    if (s == null) {
      s = new State(nowMillis);
      users.put(user, s);
      if (users.size() > settings.maxUsers()) {
        users.pollFirstEntry();
      }
    }
    s.add(harm, nowMillis, settings);
    return s.score(user, nowMillis, settings);
  }

  /** {@code user}'s score now; empty when it was never seen (or was dropped). */
  public synchronized java.util.Optional<Score> score(EndUser user, long nowMillis) {
    State s = users.get(user);
    return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.score(user, nowMillis, settings));
  }

  /** The users flagged at least once, highest score first, at most {@code limit}. */
  public synchronized List<Score> top(int limit, long nowMillis) {
    List<Score> all = new ArrayList<>();
    for (Map.Entry<EndUser, State> e : users.entrySet()) {
      if (e.getValue().flagged > 0) {
        all.add(e.getValue().score(e.getKey(), nowMillis, settings));
      }
    }
    all.sort(Comparator.comparingDouble(Score::score).reversed().thenComparing(s -> s.user().toString()));
    return all.subList(0, Math.min(limit, all.size()));
  }

  /** Users kept. */
  public synchronized int size() {
    return users.size();
  }

  /** One user's decayed sums, as of {@code atMillis}. */
  private static final class State {
    long atMillis;
    double requests;
    double harm;
    double recentRequests;
    double recentHarm;
    long total;
    long flagged;
    final TreeMap<String, Long> categories = new TreeMap<>();

    State(long now) {
      atMillis = now;
    }

    void decayTo(long now, AbuseSettings settings) {
      if (now <= atMillis) {
        return;
      }
      double elapsed = now - atMillis;
      double slow = Math.pow(0.5, elapsed / settings.halfLife().toMillis());
      double fast = Math.pow(0.5, elapsed * 4 / settings.halfLife().toMillis());
      requests *= slow;
      harm *= slow;
      recentRequests *= fast;
      recentHarm *= fast;
      atMillis = now;
    }

    void add(Harm h, long now, AbuseSettings settings) {
      decayTo(now, settings);
      requests += 1;
      recentRequests += 1;
      total++;
      if (h.flagged()) {
        double w = h.weight();
        harm += w;
        recentHarm += w;
        flagged++;
        categories.merge(h.category(), 1L, Long::sum);
      }
    }

    Score score(EndUser user, long now, AbuseSettings settings) {
      decayTo(now, settings);
      double score = Math.min(1, harm / Math.max(requests, settings.minRequests()));
      double recent = Math.min(1, recentHarm / Math.max(recentRequests, settings.minRequests() / 4.0));
      String trend = score == 0 ? "steady" : recent > score * 1.25 ? "rising" : recent < score * 0.8 ? "falling" : "steady";
      return new Score(user, score, trend, total, flagged, Map.copyOf(categories));
    }
  }
}
