package dev.spillway.simulator;

import java.util.List;

/**
 * The SSE events of one streamed response, in order, and which of them carry content tokens;
 * {@link SseStream} paces them: everything up to the first content event at time to first token,
 * then one content event per output-token interval, then the rest.
 *
 * @param events complete events, each ending with a blank line
 * @param firstContentIndex index of the first content event
 * @param contentCount number of content events (one token each)
 */
record StreamPlan(List<String> events, int firstContentIndex, int contentCount) {
  /** Content events a midstream fault lets through before the connection drops. */
  static final int MIDSTREAM_CONTENT_EVENTS = 3;

  StreamPlan {
    events = List.copyOf(events);
  }

  /** How many events a midstream fault sends before it closes: those before the content, then three content events. */
  int midstreamCut() {
    return firstContentIndex + Math.min(MIDSTREAM_CONTENT_EVENTS, contentCount);
  }
}
