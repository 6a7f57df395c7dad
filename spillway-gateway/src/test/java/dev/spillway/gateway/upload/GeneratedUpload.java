package dev.spillway.gateway.upload;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A multipart upload as the openai SDKs send one (the file part first, then the fields), with a file of pseudo-random
 * bytes made as it is read, so a client can send 100 MiB without holding them. Digests what it gave; may stop once, at a
 * chosen offset, until the test lets it go on.
 */
final class GeneratedUpload extends InputStream {
  static final String BOUNDARY = "spillway-test-0f3c9a";
  static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  private final byte[] head;
  private final byte[] tail;
  private final long fileBytes;
  private final SplittableRandom random;
  private final MessageDigest bodyDigest = sha256();
  private final MessageDigest fileDigest = sha256();
  private final long stopAt;
  final CountDownLatch stopped = new CountDownLatch(1);
  final CountDownLatch goOn = new CountDownLatch(1);
  private long position;
  private String bodySha256;
  private String fileSha256;
  private long word; // the random bits of the file's current 8 bytes

  GeneratedUpload(long fileBytes, String model, long seed, long stopAt) {
    this.head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"speech.wav\"\r\n"
        + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    this.tail = ("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model
        + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\njson"
        + "\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    this.fileBytes = fileBytes;
    this.random = new SplittableRandom(seed);
    this.stopAt = stopAt;
  }

  GeneratedUpload(long fileBytes, String model) {
    this(fileBytes, model, 42, -1);
  }

  long length() {
    return head.length + fileBytes + tail.length;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (position == stopAt) {
      stopped.countDown();
      try {
        if (!goOn.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never let the upload go on");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    long end = length();
    if (position >= end) {
      return -1;
    }
    int n = (int) Math.min(len, end - position);
    if (stopAt > position) {
      n = (int) Math.min(n, stopAt - position);
    }
    int fileFrom = -1;
    int fileTo = -1;
    for (int i = 0; i < n; i++) {
      long at = position + i;
      if (at < head.length) {
        b[off + i] = head[(int) at];
      } else if (at < head.length + fileBytes) {
        long k = at - head.length;
        if (k % 8 == 0) {
          word = random.nextLong();
        }
        b[off + i] = (byte) (word >>> (8 * (k % 8)));
        fileFrom = fileFrom < 0 ? off + i : fileFrom;
        fileTo = off + i + 1;
      } else {
        b[off + i] = tail[(int) (at - head.length - fileBytes)];
      }
    }
    if (fileFrom >= 0) {
      fileDigest.update(b, fileFrom, fileTo - fileFrom);
    }
    bodyDigest.update(b, off, n);
    position += n;
    return n;
  }

  /** The digest of the whole body given, once it has all been read. */
  String bodySha256() {
    if (bodySha256 == null) {
      bodySha256 = HexFormat.of().formatHex(bodyDigest.digest());
    }
    return bodySha256;
  }

  /** The digest of the file part's bytes, once they have all been read. */
  String fileSha256() {
    if (fileSha256 == null) {
      fileSha256 = HexFormat.of().formatHex(fileDigest.digest());
    }
    return fileSha256;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
