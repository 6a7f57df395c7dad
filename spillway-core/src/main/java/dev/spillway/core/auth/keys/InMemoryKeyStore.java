package dev.spillway.core.auth.keys;

/**
 * A {@link KeyStore} that lives and dies with the process: for tests and embedded demos where keys
 * need not survive a restart. Thread-safe (see {@link AbstractKeyStore}).
 */
public final class InMemoryKeyStore extends AbstractKeyStore {
  public InMemoryKeyStore(KeyHasher hasher) {
    super(hasher, KeyBook.EMPTY);
  }

  @Override
  void persist(KeyBook next) {}

  @Override
  public String toString() {
    return "InMemoryKeyStore[" + book().all().size() + " keys]";
  }
}
