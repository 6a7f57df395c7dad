package dev.spillway.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.LongFunction;

/**
 * The {@code response_format}s of {@code audio/speech}, each with its content type and a silent clip
 * of 24 kHz mono audio (OpenAI's TTS rate) produced chunk by chunk, about half a second each, so that
 * a long clip is never held whole: {@code wav} (16-bit PCM in a RIFF header), {@code pcm} (the same
 * samples, raw, little-endian), {@code mp3} (MPEG-2 Layer III frames at 32 kbit/s with empty side
 * info), {@code aac} (ADTS frames of AAC-LC with no spectral data), {@code flac} ({@link FlacFrames})
 * and {@code opus} ({@link OggOpusPages}). Every clip decodes as silence of the asked length (mp3, aac
 * and opus rounded up to a whole frame).
 */
enum SpeechFormat {
  MP3("audio/mpeg"),
  OPUS("audio/opus"),
  AAC("audio/aac"),
  FLAC("audio/flac"),
  WAV("audio/wav"),
  PCM("audio/pcm");

  static final int SAMPLE_RATE = 24_000;
  private static final int PCM_SAMPLES_PER_CHUNK = SAMPLE_RATE / 2;
  private static final int MP3_SAMPLES_PER_FRAME = 576;
  private static final byte[] MP3_FRAME = mp3Frame();
  private static final int AAC_SAMPLES_PER_FRAME = 1024;
  private static final byte[] AAC_FRAME = {
      (byte) 0xff, (byte) 0xf1, 0x58, 0x40, 0x01, 0x7f, (byte) 0xfc, // ADTS: LC, 24 kHz, mono, 11 bytes
      0x00, 0x00, 0x00, 0x07}; // a single channel element with max_sfb 0, then the end element

  private final String contentType;

  SpeechFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The {@code response_format} value, e.g. {@code mp3}. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  String contentType() {
    return contentType;
  }

  /** The chunks of a silent clip of {@code samples} samples at {@value #SAMPLE_RATE} Hz. */
  Iterator<byte[]> silence(long samples) {
    return switch (this) {
      case WAV -> chunks(wavHeader(samples), pcmChunks(samples), 1, i -> pcmChunk(samples, i));
      case PCM -> chunks(new byte[0], pcmChunks(samples), 1, i -> pcmChunk(samples, i));
      case MP3 -> chunks(new byte[0], ceilDiv(samples, MP3_SAMPLES_PER_FRAME), 21, i -> MP3_FRAME);
      case AAC -> chunks(new byte[0], ceilDiv(samples, AAC_SAMPLES_PER_FRAME), 12, i -> AAC_FRAME);
      case FLAC -> {
        FlacFrames flac = new FlacFrames(samples);
        yield chunks(flac.header(), flac.frameCount(), 3, flac::frame);
      }
      case OPUS -> {
        OggOpusPages ogg = new OggOpusPages(samples);
        yield chunks(ogg.headerPages(), ogg.audioPageCount(), 1, ogg::audioPage);
      }
    };
  }

  /** A RIFF/WAVE header for {@code samples} 16-bit mono samples. */
  static byte[] wavHeader(long samples) {
    int dataBytes = (int) Math.min(Integer.MAX_VALUE - 36, samples * 2);
    return ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN)
        .put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"))
        .put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2).putShort((short) 2).putShort((short) 16)
        .put(ascii("data")).putInt(dataBytes).array();
  }

  private static byte[] ascii(String tag) {
    return tag.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static long pcmChunks(long samples) {
    return ceilDiv(samples, PCM_SAMPLES_PER_CHUNK);
  }

  private static byte[] pcmChunk(long samples, long index) {
    return new byte[(int) Math.min(PCM_SAMPLES_PER_CHUNK, samples - index * PCM_SAMPLES_PER_CHUNK) * 2];
  }

  /** MPEG-2 Layer III, 32 kbit/s, 24 kHz, mono, no CRC: 96 bytes, 576 samples; zero side info and data. */
  private static byte[] mp3Frame() {
    byte[] frame = new byte[72 * 32_000 / SAMPLE_RATE];
    frame[0] = (byte) 0xff;
    frame[1] = (byte) 0xf3;
    frame[2] = 0x44;
    frame[3] = (byte) 0xc0;
    return frame;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** {@code header} as the first chunk (when not empty), then frames {@code 0..count-1}, {@code perChunk} at a time. */
  private static Iterator<byte[]> chunks(byte[] header, long count, int perChunk, LongFunction<byte[]> frame) {
    return new Iterator<>() {
      private boolean headerSent = header.length == 0;
      private long next;

      @Override
      public boolean hasNext() {
        return !headerSent || next < count;
      }

      @Override
      public byte[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (!headerSent) {
          headerSent = true;
          return header;
        }
        if (perChunk == 1) {
          return frame.apply(next++);
        }
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (int i = 0; i < perChunk && next < count; i++) {
          chunk.writeBytes(frame.apply(next++));
        }
        return chunk.toByteArray();
      }
    };
  }
}
