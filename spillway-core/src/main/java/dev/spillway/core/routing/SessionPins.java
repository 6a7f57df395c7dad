package dev.spillway.core.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Session key to backend index, least recently used evicted beyond a bound, so an unbounded
 * number of sessions cannot grow memory. Synchronized: touched once per request of a model with
 * affinity, and only then.
 */
final class SessionPins {
  private final Map<String, Integer> map;

  SessionPins(int maxEntries) {
    this.map =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > maxEntries;
          }
        };
  }

  synchronized Integer get(String key) {
    return map.get(key);
  }

  synchronized void put(String key, int index) {
    map.put(key, index);
  }
}
