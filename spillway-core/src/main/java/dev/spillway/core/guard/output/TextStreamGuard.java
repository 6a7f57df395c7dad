package dev.spillway.core.guard.output;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Guards one streamed answer on its way to the client: the gateway feeds the upstream's bytes in any chunking and sends
 * on what each {@link #feed} returns. This class cuts the stream into events ({@link EventSplitter}), collects what
 * is to be sent and the findings; one subclass per stream format reads the events: {@link StreamGuard} for chat and
 * legacy completions ({@code data:} chunks with choices), {@link ResponseStreamGuard} for the Responses API ({@code
 * event: response.*}). With no checks, {@link #feed} returns its input as it is. Not thread-safe: one per stream.
 */
public abstract sealed class TextStreamGuard permits StreamGuard, ResponseStreamGuard {
  /** Findings kept for {@link #findings}; beyond this only the strongest action is still tracked. */
  static final int MAX_FINDINGS = 1000;

  final OutputGuard guard;
  /** What goes to the client next. */
  final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
  private final EventSplitter splitter = new EventSplitter();
  private final List<GuardFinding> findings = new ArrayList<>();
  private GuardAction strongest = GuardAction.ALLOW;
  private int findingsDropped;

  TextStreamGuard(OutputGuard guard) {
    this.guard = guard;
  }

  /** Reads the next bytes from upstream; returns the bytes to send on now, possibly none. */
  public final byte[] feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (guard.passesEverything()) {
      return offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
    }
    splitter.feed(bytes, offset, length, this::event);
    return drain();
  }

  /**
   * The upstream ended (without its last event, or the gateway is closing): an unfinished last event is read as it is
   * and every held text is checked and released. Returns the bytes to send last.
   */
  public final byte[] finish() {
    if (guard.passesEverything()) {
      return new byte[0];
    }
    splitter.finish(this::event);
    releaseAll();
    return drain();
  }

  /** The strongest action among the findings so far; {@link GuardAction#ALLOW} when none. */
  public final GuardAction strongestAction() {
    return strongest;
  }

  /**
   * The findings so far, in the order they were made (the first {@value #MAX_FINDINGS}); offsets are into the window
   * that was checked, not into the answer.
   */
  public final List<GuardFinding> findings() {
    return List.copyOf(findings);
  }

  /** Findings made beyond the {@value #MAX_FINDINGS} kept. */
  public final int findingsDropped() {
    return findingsDropped;
  }

  /**
   * One whole event of the stream.
   *
   * @param raw its bytes, as they came
   * @param data its data, or null when it has none
   * @return whether {@code raw} was sent on as it is
   */
  abstract boolean event(byte[] raw, String data);

  /** Checks and releases every held text (the stream ended). */
  abstract void releaseAll();

  /** Counts a finding. */
  final void found(GuardFinding f) {
    strongest = strongest.max(f.action());
    if (findings.size() < MAX_FINDINGS) {
      findings.add(f);
    } else {
      findingsDropped++;
    }
  }

  /** Sends {@code raw} on as it came. */
  final boolean pass(byte[] raw) {
    out.writeBytes(raw);
    return true;
  }

  private byte[] drain() {
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }
}
