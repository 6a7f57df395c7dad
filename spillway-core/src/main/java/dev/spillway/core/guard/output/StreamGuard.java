package dev.spillway.core.guard.output;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.guard.GuardFinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Guards one streamed chat completion (or legacy text completion) on its way to the client: the gateway feeds the
 * upstream's bytes in any chunking and sends on what each {@link #feed} returns.
 *
 * <p>Generated text ({@code choices[i].delta.content}, or {@code choices[i].text}) is held back per choice in a {@link
 * HeldText} and released a window at a time, checked and masked, as chunks of the stream's own likeness ({@link
 * ChunkTemplate}): one chunk per choice per release. So the client gets the answer in pieces of about a window rather
 * than token by token, never later than a window plus the overlap behind the upstream, and the guard never holds a
 * whole answer: per choice at most {@code windowChars + overlapChars} characters, plus the one event being read.
 *
 * <p>Every other event keeps its place relative to the text: a chunk that carries more than text for choice i (a role,
 * tool calls, a finish reason, Azure's filter results marked filtered) first releases choice i's held text, checked in
 * full, then goes on without its text (a text it carried joins the held text: before the chunk when it ends the choice,
 * after otherwise); an event without choices (Azure's {@code prompt_filter_results}, the usage chunk, an error) and
 * {@code data: [DONE]} first release every choice's text. Comments, other fields and data that is not a JSON object
 * pass as they came. An event is passed as its own bytes whenever it needs no change.
 *
 * <p>On a BLOCK finding in choice i, its held text is dropped and a last chunk for it goes out at once ({@code delta:
 * {}}, {@code finish_reason: content_filter}, {@code content_filter_results} from {@link FilterResults}); every later
 * piece of choice i, its own finish chunk too, is dropped, while other choices, the usage chunk and {@code [DONE]}
 * go on. Text chunks the guard absorbs lose their {@code logprobs} (their tokens would spell the text) and Azure's
 * per-chunk filter annotations.
 *
 * <p>With no checks, {@link #feed} returns its input as it is. Responses API streams ({@code event: response.*}) carry
 * no choices and pass untouched here: {@link ResponseStreamGuard} guards them. Not thread-safe: one per stream.
 */
public final class StreamGuard extends TextStreamGuard {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private final TreeMap<Integer, Choice> choices = new TreeMap<>();
  private ChunkTemplate template;

  StreamGuard(OutputGuard guard) {
    super(guard);
  }

  @Override
  boolean event(byte[] raw, String data) {
    if (data == null) {
      return pass(raw);
    }
    if (data.strip().equals("[DONE]")) {
      releaseAll();
      return pass(raw);
    }
    JsonNode node;
    try {
      node = JSON.readTree(data);
    } catch (IOException e) {
      return pass(raw);
    }
    if (!(node instanceof ObjectNode chunk)) {
      return pass(raw);
    }
    if (!(chunk.get("choices") instanceof ArrayNode entries) || entries.isEmpty()) {
      releaseAll();
      return pass(raw);
    }
    if (template == null) {
      template = ChunkTemplate.of(chunk);
    }
    return chunk(chunk, entries, raw);
  }

  private boolean chunk(ObjectNode chunk, ArrayNode entries, byte[] raw) {
    boolean loud = StreamPiece.loud(chunk);
    ArrayNode kept = chunk.arrayNode();
    List<StreamPiece> after = new ArrayList<>();
    boolean changed = false;
    for (JsonNode e : entries) {
      if (!(e instanceof ObjectNode entry)) {
        kept.add(e);
        continue;
      }
      StreamPiece piece = StreamPiece.of(entry);
      Choice c = choices.computeIfAbsent(piece.index(), Choice::new);
      if (c.held.blocked()) {
        changed = true;
        continue;
      }
      if (piece.quiet()) {
        if (piece.text() == null) {
          kept.add(entry);
        } else {
          after.add(piece);
          changed = true;
        }
        continue;
      }
      if (piece.finish() || loud) {
        append(c, piece);
      } else {
        release(c);
        if (piece.text() != null) {
          after.add(piece);
        }
      }
      if (piece.finish()) {
        release(c);
      }
      if (c.held.blocked()) {
        changed = true;
        continue;
      }
      if (piece.text() != null) {
        piece.stripText(entry);
        changed = true;
      }
      kept.add(entry);
    }
    if (loud) {
      after.forEach(p -> append(choices.get(p.index()), p));
      after.clear();
      releaseAll();
    }
    boolean passed = false;
    if (!changed) {
      passed = pass(raw);
    } else if (!kept.isEmpty() || loud) {
      chunk.set("choices", kept);
      write(chunk);
    }
    after.forEach(p -> append(choices.get(p.index()), p));
    return passed;
  }

  private void append(Choice c, StreamPiece piece) {
    c.legacy = piece.legacy();
    if (piece.text() != null) {
      c.held.append(piece.text());
      c.endIfBlocked();
    }
  }

  private void release(Choice c) {
    c.held.flush();
    c.endIfBlocked();
  }

  @Override
  void releaseAll() {
    for (Choice c : choices.values()) {
      release(c);
    }
  }

  private void write(ObjectNode chunk) {
    try {
      out.writeBytes(DATA);
      out.writeBytes(JSON.writeValueAsBytes(chunk));
      out.writeBytes(END);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One choice of the stream: its held text, whether it is a legacy completion, whether its ending went out. */
  private final class Choice implements HeldText.Listener {
    final int index;
    final HeldText held;
    boolean legacy;
    boolean ended;

    Choice(int index) {
      this.index = index;
      this.held = new HeldText(guard, this);
    }

    @Override
    public void found(GuardFinding finding) {
      StreamGuard.this.found(finding);
    }

    @Override
    public void released(String text) {
      write(template.content(index, text, legacy));
    }

    /** Sends this choice's filtered ending, once, if it was blocked. */
    void endIfBlocked() {
      if (held.blocked() && !ended) {
        ended = true;
        write(template.filtered(index, legacy, FilterResults.of(held.blocking())));
      }
    }
  }

  @Override
  public String toString() {
    return "StreamGuard[" + choices.size() + " choices, " + findings().size() + " findings, strongest " + strongestAction()
        + "]";
  }
}
