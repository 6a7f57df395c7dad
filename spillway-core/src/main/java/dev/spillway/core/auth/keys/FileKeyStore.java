package dev.spillway.core.auth.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * A {@link KeyStore} kept in one JSON file ({@code auth.keyStore}; format in {@link KeyFileCodec}).
 * The file holds key records only: ids, consumers, salts, keyed hashes and timestamps, never a
 * plaintext key, so it is not a secret by itself (see {@link KeyHasher} for why the pepper matters).
 *
 * <h2>Writes</h2>
 *
 * Every change writes the whole file atomically: a temp file in the same directory (permissions
 * {@code 0600} where the file system is POSIX), fsync, then an atomic rename over the old file, then
 * a best-effort fsync of the directory. Readers therefore see the old file or the new one, never a
 * half-written one. Missing parent directories are created. A failed write throws {@link
 * KeyStoreException} and leaves this instance's keys as they were.
 *
 * <h2>Several processes</h2>
 *
 * The intended set-up is one gateway reading the file and an operator running {@code spillway keys
 * ...} against the same file now and then. The gateway calls {@link #reloadIfChanged()} on a timer
 * (every 500 ms, say), so a {@code keys revoke} run from the CLI takes effect within a second. Before
 * each write an instance also reloads a changed file, so two instances do not undo each other's
 * earlier changes. Concurrent writers are <em>not</em> supported: there is no cross-process lock, and
 * when two processes write at the same moment the last writer wins (the other change is lost, the
 * file stays valid). A file that is deleted reads as empty: every key stops working (fails closed).
 *
 * <p>Thread-safe (see {@link AbstractKeyStore}); {@link #authenticate} never touches the disk.
 */
public final class FileKeyStore extends AbstractKeyStore {
  private static final FileAttribute<?> OWNER_READ_WRITE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final Path file;
  /** What the file looked like when this instance last read or wrote it; guarded by {@link #lock}. */
  private FileStamp seen;

  /** Identity of one version of the file: a rename-replaced file gets a new file key (inode). */
  private record FileStamp(FileTime modified, long size, Object fileKey) {
    static final FileStamp ABSENT = new FileStamp(FileTime.fromMillis(0), -1, "absent");
  }

  /**
   * Opens the store, reading {@code file} when it exists (a missing file is an empty store; it is
   * created by the first write).
   *
   * @throws KeyStoreException when the file exists but cannot be read or is not a valid key file
   */
  public FileKeyStore(Path file, KeyHasher hasher) {
    super(hasher, KeyBook.EMPTY);
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    synchronized (lock) {
      this.seen = stamp();
      replaceBook(read());
    }
  }

  /**
   * Where {@code auth.keyStore} points: an absolute path as is, a relative one against the directory
   * of the config file that named it (not the working directory), so the CLI and the gateway agree
   * wherever they are started from.
   */
  public static Path resolveAgainstConfig(Path configFile, Path keyStore) {
    if (keyStore.isAbsolute()) {
      return keyStore.normalize();
    }
    Path dir = configFile.toAbsolutePath().getParent();
    return (dir == null ? keyStore.toAbsolutePath() : dir.resolve(keyStore)).normalize();
  }

  /** The absolute path of the key file. */
  public Path file() {
    return file;
  }

  /**
   * Re-reads the file when its modification time, size or identity changed since this instance
   * last read or wrote it. Cheap when nothing changed (one {@code stat}). Call it on a timer.
   *
   * @return true when the file was re-read
   * @throws KeyStoreException when the changed file cannot be read or is invalid; the keys in
   *     memory stay as they were and the next call tries again
   */
  public boolean reloadIfChanged() {
    synchronized (lock) {
      FileStamp now = stamp();
      if (now.equals(seen)) {
        return false;
      }
      KeyBook loaded = read();
      replaceBook(loaded);
      seen = now;
      return true;
    }
  }

  @Override
  KeyBook beforeWrite(KeyBook current) {
    reloadIfChanged();
    return book();
  }

  @Override
  void persist(KeyBook next) {
    byte[] bytes = KeyFileCodec.write(next);
    Path dir = file.getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
      String prefix = "." + file.getFileName() + ".";
      temp = posix ? Files.createTempFile(dir, prefix, ".tmp", OWNER_READ_WRITE) : Files.createTempFile(dir, prefix, ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      syncDirectory(dir);
      seen = stamp();
    } catch (FileAlreadyExistsException e) {
      throw new KeyStoreException(file + ": cannot write: " + e.getFile() + " exists and is not a directory", e);
    } catch (IOException e) {
      throw new KeyStoreException(file + ": cannot write key file (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")", e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: a stray temp file holds hashes only
        }
      }
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every OS lets a directory be opened or synced (Windows); the rename itself is atomic.
    }
  }

  private FileStamp stamp() {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      Object fileKey = attributes.fileKey();
      return new FileStamp(attributes.lastModifiedTime(), attributes.size(), fileKey == null ? "none" : fileKey);
    } catch (NoSuchFileException e) {
      return FileStamp.ABSENT;
    } catch (IOException e) {
      throw new KeyStoreException(file + ": cannot read file attributes (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private KeyBook read() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return KeyBook.EMPTY;
    } catch (IOException e) {
      throw new KeyStoreException(file + ": cannot read key file (" + e.getClass().getSimpleName() + ")", e);
    }
    return KeyFileCodec.read(bytes, file.toString());
  }

  @Override
  public String toString() {
    return "FileKeyStore[" + file + ", " + book().all().size() + " keys]";
  }
}
