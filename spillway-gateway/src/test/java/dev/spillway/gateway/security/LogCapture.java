package dev.spillway.gateway.security;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything the test JVM logs while it is open: every {@code java.util.logging} record at any
 * level (Vert.x, Netty and the gateway's {@code System.Logger}s all end up there when no other
 * backend is on the class path), and every byte written to {@code System.out} and {@code System.err},
 * which still reach the console as well.
 *
 * <p>Records are formatted when they are published (message with its parameters, every parameter
 * on its own, the stack trace), so a later change to a parameter cannot hide what was logged.
 * Thread-safe. Opening sets the root logger to {@link Level#ALL}; closing restores it and the streams.
 */
final class LogCapture implements AutoCloseable {
  private final Logger root = Logger.getLogger("");
  private final Level rootLevelBefore = root.getLevel();
  private final PrintStream outBefore = System.out;
  private final PrintStream errBefore = System.err;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final List<String> formatted = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          records.add(record);
          formatted.add(format(formatter, record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture() {
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.ALL);
    System.setOut(new PrintStream(new Tee(outBefore, printed), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(errBefore, printed), true, StandardCharsets.UTF_8));
  }

  static LogCapture start() {
    return new LogCapture();
  }

  /** Every captured record, formatted, then everything printed, line by line. */
  List<String> lines() {
    List<String> all = new ArrayList<>(formatted);
    synchronized (printed) {
      all.addAll(Arrays.asList(printed.toString(StandardCharsets.UTF_8).split("\\R")));
    }
    return all;
  }

  /** The records at {@code level} or above. */
  List<LogRecord> recordsAtLeast(Level level) {
    return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
  }

  private static String format(SimpleFormatter formatter, LogRecord r) {
    StringBuilder b = new StringBuilder();
    b.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ");
    b.append(r.getMessage()).append(" | ").append(formatter.formatMessage(r));
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        b.append(" | ").append(p);
      }
    }
    if (r.getThrown() != null) {
      StringWriter trace = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(trace));
      b.append('\n').append(trace);
    }
    return b.toString();
  }

  @Override
  public void close() {
    System.setOut(outBefore);
    System.setErr(errBefore);
    root.removeHandler(handler);
    root.setLevel(rootLevelBefore);
  }

  /** Writes to the original stream and to the capture. */
  private static final class Tee extends OutputStream {
    private final OutputStream original;
    private final ByteArrayOutputStream copy;

    Tee(OutputStream original, ByteArrayOutputStream copy) {
      this.original = original;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      synchronized (copy) {
        copy.write(b);
      }
      try {
        original.write(b);
      } catch (java.io.IOException ignored) {
        // The console is gone; the copy is what the test reads.
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (copy) {
        copy.write(b, off, len);
      }
      try {
        original.write(b, off, len);
      } catch (java.io.IOException ignored) {
        // The console is gone; the copy is what the test reads.
      }
    }

    @Override
    public void flush() {
      try {
        original.flush();
      } catch (java.io.IOException ignored) {
        // As above.
      }
    }
  }
}
