package dev.spillway.gateway.store.redis;

import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.cache.semantic.SemanticEntry;
import dev.spillway.core.usage.TokenUsage;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The bytes the shared cache keeps in Redis and announces on its channel: an exact answer, a semantic entry (its
 * answer, partition, question and vector), an invalidation's scope. A tag byte says which and in what version; numbers
 * are big-endian, texts UTF-8 with an int length, the answer's JSON as it is. Pure and thread-safe.
 *
 * <p>Reading never throws on bad input: bytes this codec did not write (another version, another program, a
 * truncated value) read as empty, and the caller counts them as not there.
 */
public final class CacheEntryCodec {
  static final byte ANSWER_V1 = 'A';
  static final byte ENTRY_V1 = 'S';
  static final byte SCOPE_V1 = 'I';

  private CacheEntryCodec() {}

  /** The bytes of an exact layer's answer. */
  public static byte[] encodeAnswer(CachedAnswer a) {
    Writer w = new Writer(64 + (int) a.weight());
    w.tag(ANSWER_V1);
    w.answer(a);
    return w.bytes();
  }

  /** The answer in {@code bytes}, or empty when they are not one. */
  public static Optional<CachedAnswer> decodeAnswer(byte[] bytes) {
    return read(bytes, ANSWER_V1, Reader::answer);
  }

  /** The bytes of a semantic entry. */
  public static byte[] encodeEntry(SemanticEntry e) {
    Writer w = new Writer(64 + (int) e.weight());
    w.tag(ENTRY_V1);
    w.text(e.partition());
    w.text(e.question());
    w.floats(e.vector());
    w.answer(e.answer());
    return w.bytes();
  }

  /** The semantic entry in {@code bytes}, or empty when they are not one. */
  public static Optional<SemanticEntry> decodeEntry(byte[] bytes) {
    return read(bytes, ENTRY_V1, r -> {
      String partition = r.text();
      String question = r.text();
      int dimensions = r.length(4);
      float[] vector = new float[dimensions];
      for (int i = 0; i < dimensions; i++) {
        vector[i] = r.in.getFloat();
      }
      return new SemanticEntry(partition, question, vector, r.answer());
    });
  }

  /** The bytes of an invalidation's scope. */
  public static byte[] encodeScope(CacheScope scope) {
    Writer w = new Writer(16 + 3 * 4 + 4 * (scope.tenant().length() + scope.model().length() + scope.key().length()));
    w.tag(SCOPE_V1);
    w.text(scope.tenant());
    w.text(scope.model());
    w.text(scope.key());
    return w.bytes();
  }

  /** The scope in {@code bytes}, or empty when they are not one. */
  public static Optional<CacheScope> decodeScope(byte[] bytes) {
    return read(bytes, SCOPE_V1, r -> new CacheScope(r.text(), r.text(), r.text()));
  }

  private static <T> Optional<T> read(byte[] bytes, byte tag, java.util.function.Function<Reader, T> body) {
    if (bytes == null || bytes.length < 1 || bytes[0] != tag) {
      return Optional.empty();
    }
    Reader r = new Reader(ByteBuffer.wrap(bytes, 1, bytes.length - 1));
    try {
      T value = body.apply(r);
      return r.in.hasRemaining() ? Optional.empty() : Optional.of(value);
    } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static final class Writer {
    private ByteBuffer buffer;

    Writer(int capacity) {
      buffer = ByteBuffer.allocate(Math.max(capacity, 64));
    }

    void tag(byte tag) {
      buffer.put(tag);
    }

    void text(String s) {
      bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(byte[] b) {
      room(4 + b.length);
      buffer.putInt(b.length);
      buffer.put(b);
    }

    void floats(float[] v) {
      room(4 + 4 * v.length);
      buffer.putInt(v.length);
      for (float f : v) {
        buffer.putFloat(f);
      }
    }

    void answer(CachedAnswer a) {
      text(a.key());
      text(a.tenant());
      text(a.model());
      room(7 * 8);
      buffer.putLong(a.storedAtMillis());
      buffer.putLong(a.expiresAtMillis());
      TokenUsage u = a.usage();
      buffer.putLong(u.promptTokens());
      buffer.putLong(u.completionTokens());
      buffer.putLong(u.totalTokens());
      buffer.putLong(u.cachedTokens());
      buffer.putLong(u.reasoningTokens());
      bytes(a.completion());
    }

    /** Grows the buffer when {@code n} more bytes would not fit (texts may be longer than their estimate). */
    private void room(int n) {
      if (buffer.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + n));
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
      }
    }

    byte[] bytes() {
      byte[] out = new byte[buffer.position()];
      buffer.flip();
      buffer.get(out);
      return out;
    }
  }

  private static final class Reader {
    final ByteBuffer in;

    Reader(ByteBuffer in) {
      this.in = in;
    }

    /** A count of items of {@code itemBytes} each that the remaining bytes can hold. */
    int length(int itemBytes) {
      int n = in.getInt();
      if (n < 0 || (long) n * itemBytes > in.remaining()) {
        throw new IllegalArgumentException("length out of range");
      }
      return n;
    }

    byte[] bytes() {
      byte[] b = new byte[length(1)];
      in.get(b);
      return b;
    }

    String text() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    CachedAnswer answer() {
      String key = text();
      String tenant = text();
      String model = text();
      long storedAt = in.getLong();
      long expiresAt = in.getLong();
      TokenUsage usage = new TokenUsage(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
      return new CachedAnswer(key, tenant, model, bytes(), usage, storedAt, expiresAt);
    }
  }
}
