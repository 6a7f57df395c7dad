package dev.spillway.core.auth.keys;

class InMemoryKeyStoreTest extends KeyStoreContractTest {
  @Override
  KeyStore newStore(KeyHasher hasher) {
    return KeyStore.inMemory(hasher);
  }
}
