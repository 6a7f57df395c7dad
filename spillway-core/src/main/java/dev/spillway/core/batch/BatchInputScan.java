package dev.spillway.core.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a batch input file (JSON Lines: one request per line, {@code {"custom_id", "method", "url", "body": {"model",
 * ...}}}) as the gateway stores it: which model its requests name, where each line's {@code body.model} value stands
 * (so the gateway can put the backend's own deployment name there), and the first line that is not a request. Pure:
 * reads a stream, keeps no state between calls.
 *
 * <p>Why the gateway reads the file at all: a batch runs on the backend that holds its input file, and its requests
 * name their model inside the file, where the backend reads it. A caller names the logical model (the one its grant
 * and the gateway's pools know); the backend knows its deployment. So the gateway must know the model before it picks
 * a backend for the upload (routing and the model grant), and must rewrite it in every line for that backend. A batch
 * names one model (as OpenAI and Azure require); a file naming two is refused here, with the line.
 *
 * <p>Only the {@code model} value's bytes are located, not copied or re-encoded: the rest of each line goes to the
 * backend byte for byte. The scan holds one line at a time; a line longer than {@code maxLineBytes} is refused.
 */
public final class BatchInputScan {
  private static final JsonFactory FACTORY = new JsonFactory();

  private BatchInputScan() {}

  /**
   * Where one line's {@code body.model} value stands: the JSON string token, quotes included.
   *
   * @param start offset of the opening quote, counted as the scan's {@code baseOffset} says
   * @param end offset past the closing quote
   */
  public record Span(long start, long end) {}

  /**
   * What the scan found.
   *
   * @param model the model every request names; empty when there is no request or a problem
   * @param modelValues each request's {@code body.model} token, in order
   * @param requests the number of requests (non-blank lines)
   * @param problem what is wrong with the file (with its line number); empty when it is a batch input file
   */
  public record Result(Optional<String> model, List<Span> modelValues, int requests, Optional<String> problem) {
    public Result {
      modelValues = List.copyOf(modelValues);
    }

    public boolean ok() {
      return problem.isEmpty();
    }
  }

  /**
   * Scans {@code length} bytes of {@code in}.
   *
   * @param baseOffset the offset of the stream's first byte in the body the spans are to index
   * @param maxLineBytes the longest line accepted
   */
  public static Result scan(InputStream in, long baseOffset, long length, int maxLineBytes) throws IOException {
    List<Span> spans = new ArrayList<>();
    String model = null;
    int lineNumber = 0;
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long lineStart = baseOffset;
    long read = 0;
    byte[] buffer = new byte[64 * 1024];
    while (read <= length) {
      boolean atEnd = read == length;
      int n = atEnd ? 0 : in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
      if (n < 0) {
        return problem("the file ends early");
      }
      int from = 0;
      for (int i = 0; i <= n; i++) {
        boolean lastLine = atEnd && i == n;
        if (!lastLine && (i == n || buffer[i] != '\n')) {
          continue;
        }
        line.write(buffer, from, i - from);
        if (line.size() > maxLineBytes) {
          return problem("line " + (lineNumber + 1) + " is longer than " + maxLineBytes + " bytes");
        }
        if (lastLine && line.size() == 0) {
          break;
        }
        lineNumber++;
        Line found = line(line.toByteArray(), lineStart, lineNumber);
        if (found.problem() != null) {
          return problem(found.problem());
        }
        if (found.model() != null) {
          if (model != null && !model.equals(found.model())) {
            return problem("line " + lineNumber + " names the model '" + found.model() + "', an earlier line '"
                + model + "': the requests of one batch must all name the same model");
          }
          model = found.model();
          spans.add(found.span());
        }
        lineStart = baseOffset + read + i + 1;
        line.reset();
        from = i + 1;
      }
      if (atEnd) {
        break;
      }
      line.write(buffer, from, n - from);
      if (line.size() > maxLineBytes) {
        return problem("line " + (lineNumber + 1) + " is longer than " + maxLineBytes + " bytes");
      }
      read += n;
    }
    if (model == null) {
      return problem("the file holds no request");
    }
    return new Result(Optional.of(model), spans, spans.size(), Optional.empty());
  }

  private static Result problem(String what) {
    return new Result(Optional.empty(), List.of(), 0, Optional.of(what));
  }

  /** One line read: its model and where it stands, or nothing (a blank line), or what is wrong with it. */
  private record Line(String model, Span span, String problem) {
    static final Line BLANK = new Line(null, null, null);

    static Line wrong(int number, String what) {
      return new Line(null, null, "line " + number + " " + what);
    }
  }

  private static Line line(byte[] bytes, long lineStart, int number) {
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\r' || bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
      end--;
    }
    if (end == 0) {
      return Line.BLANK;
    }
    try (JsonParser p = FACTORY.createParser(bytes, 0, end)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Line.wrong(number, "is not a JSON object");
      }
      String model = null;
      Span span = null;
      boolean body = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (!"body".equals(name)) {
          p.skipChildren();
          continue;
        }
        if (body || value != JsonToken.START_OBJECT) {
          return Line.wrong(number, body ? "has two bodies" : "has a body that is not a JSON object");
        }
        body = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (!"model".equals(field)) {
            p.skipChildren();
            continue;
          }
          if (model != null || v != JsonToken.VALUE_STRING) {
            return Line.wrong(number, model != null ? "names body.model twice" : "has a body.model that is not a string");
          }
          long start = p.currentTokenLocation().getByteOffset();
          model = p.getText();
          span = new Span(lineStart + start, lineStart + p.currentLocation().getByteOffset());
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return Line.wrong(number, "is not one JSON object");
      }
      if (model == null || model.isBlank()) {
        return Line.wrong(number, "has no body.model naming the model of its request");
      }
      return new Line(model, span, null);
    } catch (IOException e) {
      return Line.wrong(number, "is not valid JSON");
    }
  }
}
