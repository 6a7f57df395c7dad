package dev.spillway.core.auth.keys;

import java.util.List;
import java.util.Objects;

/**
 * A key just created: the only moment its plaintext exists outside the client. Show it once and
 * drop it. {@link #toString} never shows the plaintext.
 *
 * @param plaintext the full key {@code sk-spw-<keyId>_<secret>}
 * @param record what was stored
 * @param revokedKeyIds keys of the same consumer this operation revoked (only {@link
 *     KeyStore#rotate} revokes), in creation order
 */
public record IssuedKey(String plaintext, KeyRecord record, List<String> revokedKeyIds) {
  public IssuedKey {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(record, "record");
    revokedKeyIds = List.copyOf(revokedKeyIds);
  }

  public String keyId() {
    return record.keyId();
  }

  @Override
  public String toString() {
    return "IssuedKey[keyId=" + record.keyId() + ", consumerId=" + record.consumerId() + ", plaintext=***, revoked="
        + revokedKeyIds + "]";
  }
}
