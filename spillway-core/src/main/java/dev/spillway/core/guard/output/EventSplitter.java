package dev.spillway.core.guard.output;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Cuts a server-sent event stream, fed in any chunking, into whole events: the bytes of each event exactly as they
 * came (its lines and the blank line ending it) and its {@code data} (the payloads of its {@code data:} lines, one
 * leading space dropped, joined by newlines; null when it has none). Lines end with LF, CRLF or CR, as the SSE format
 * allows; a CR is judged on the spot, and an LF right after a CR that ended an event is that event's: it goes out when
 * the event's bytes did ({@link Handler#event} said so). Bytes split inside a UTF-8 sequence are only decoded once the
 * line is whole. Holds at most one event. Not thread-safe.
 */
final class EventSplitter {
  private static final byte[] LF = {'\n'};

  /** Gets each whole event. */
  interface Handler {
    /**
     * One event.
     *
     * @param raw its bytes, as they came
     * @param data its data, or null when it has no {@code data:} line
     * @return whether {@code raw} was sent on as it is
     */
    boolean event(byte[] raw, String data);
  }

  private final ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private StringBuilder data;
  private boolean afterCr;
  private boolean lastSent;

  void feed(byte[] bytes, int offset, int length, Handler handler) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      if (afterCr) {
        afterCr = false;
        if (bytes[i] == '\n') {
          if (raw.size() > 0) {
            raw.write('\n');
          } else if (lastSent) {
            handler.event(LF, null);
          }
          i++;
          continue;
        }
      }
      int j = i;
      while (j < end && bytes[j] != '\n' && bytes[j] != '\r') {
        j++;
      }
      raw.write(bytes, i, j - i);
      line.write(bytes, i, j - i);
      if (j == end) {
        return;
      }
      raw.write(bytes[j]);
      afterCr = bytes[j] == '\r';
      endLine(handler);
      i = j + 1;
    }
  }

  /** The stream ended: an event left without its blank line is handled as it is. */
  void finish(Handler handler) {
    if (line.size() > 0) {
      endLine(handler);
    }
    if (raw.size() > 0) {
      dispatch(handler);
    }
    afterCr = false;
  }

  private void endLine(Handler handler) {
    if (line.size() == 0) {
      dispatch(handler);
      return;
    }
    byte[] l = line.toByteArray();
    line.reset();
    if (l.length >= 5 && l[0] == 'd' && l[1] == 'a' && l[2] == 't' && l[3] == 'a' && l[4] == ':') {
      int start = l.length > 5 && l[5] == ' ' ? 6 : 5;
      String payload = new String(l, start, l.length - start, StandardCharsets.UTF_8);
      if (data == null) {
        data = new StringBuilder(payload);
      } else {
        data.append('\n').append(payload);
      }
    }
  }

  private void dispatch(Handler handler) {
    byte[] r = raw.toByteArray();
    raw.reset();
    String d = data == null ? null : data.toString();
    data = null;
    lastSent = handler.event(r, d);
  }
}
