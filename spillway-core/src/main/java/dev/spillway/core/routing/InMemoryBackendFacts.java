package dev.spillway.core.routing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link SharedBackendFacts} between members in one process: gateways started side by side in one JVM (tests, an
 * embedded pair) share facts without a store. It holds the latest fact per backend and kind, hands a new member those
 * that still hold, and passes a published fact to every member when it extends what is held (a fact that does not
 * extend it is already known to everyone and is dropped). Listeners are called in the publisher's thread, one at a time.
 *
 * <p>Thread-safe.
 */
public final class InMemoryBackendFacts {
  private final Clock clock;
  private final Map<String, BackendFact> held = new HashMap<>();
  private final List<Member> members = new ArrayList<>();

  /** @param clock wall clock: which held facts are over when a member joins */
  public InMemoryBackendFacts(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A new member; its listener hears at once every held fact that is not over. */
  public synchronized SharedBackendFacts join(Consumer<BackendFact> listener) {
    Member member = new Member(Objects.requireNonNull(listener, "listener"));
    long now = clock.millis();
    held.values().removeIf(f -> f.untilEpochMillis() <= now);
    held.values().forEach(listener);
    members.add(member);
    return member;
  }

  private synchronized void publish(BackendFact fact) {
    String key = fact.kind() + "\n" + fact.backend();
    BackendFact known = held.get(key);
    if (fact.untilEpochMillis() <= clock.millis() || (known != null && known.untilEpochMillis() >= fact.untilEpochMillis())) {
      return;
    }
    held.put(key, fact);
    for (Member m : List.copyOf(members)) {
      m.listener.accept(fact);
    }
  }

  private synchronized void leave(Member member) {
    members.remove(member);
  }

  private final class Member implements SharedBackendFacts {
    private final Consumer<BackendFact> listener;

    private Member(Consumer<BackendFact> listener) {
      this.listener = listener;
    }

    @Override
    public void publish(BackendFact fact) {
      InMemoryBackendFacts.this.publish(Objects.requireNonNull(fact, "fact"));
    }

    @Override
    public void close() {
      leave(this);
    }
  }
}
