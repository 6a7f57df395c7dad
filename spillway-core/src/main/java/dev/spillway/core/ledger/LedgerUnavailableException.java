package dev.spillway.core.ledger;

/** The ledger store cannot take a batch right now; the caller keeps (spills) the batch and retries later. */
public class LedgerUnavailableException extends Exception {
  public LedgerUnavailableException(String message) {
    super(message);
  }

  public LedgerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
