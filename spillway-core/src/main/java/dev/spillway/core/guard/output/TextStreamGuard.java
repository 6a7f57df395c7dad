package dev.spillway.core.guard.output;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.List;

/**
 * Guards one streamed answer on its way to the client: the gateway feeds the upstream's bytes in any chunking and sends
 * on what each {@link #feed} returns. One implementation per stream format: {@link StreamGuard} for chat and legacy
 * completions ({@code data:} chunks with choices), {@link ResponseStreamGuard} for the Responses API ({@code event:
 * response.*}). Not thread-safe: one per stream.
 */
public sealed interface TextStreamGuard permits StreamGuard, ResponseStreamGuard {
  /** Reads the next bytes from upstream; returns the bytes to send on now, possibly none. */
  byte[] feed(byte[] bytes, int offset, int length);

  /**
   * The upstream ended (without its last event, or the gateway is closing): an unfinished last event is read as it is
   * and every held text is checked and released. Returns the bytes to send last.
   */
  byte[] finish();

  /** The strongest action among the findings so far; {@link GuardAction#ALLOW} when none. */
  GuardAction strongestAction();

  /** The findings so far, in the order they were made; offsets are into the window that was checked. */
  List<GuardFinding> findings();
}
