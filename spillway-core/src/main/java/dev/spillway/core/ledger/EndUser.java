package dev.spillway.core.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The end user a request was made for, as the calling application named it: the request body's {@code user} (chat
 * completions, completions, embeddings, responses, images), else its {@code safety_identifier}, or a configured request
 * header. The ledger keeps it per row so chargeback can be grouped by end user.
 *
 * <p>It is whatever the caller sent, so it may be personal data (an e-mail address, a name). Hence: {@link #toString()}
 * never shows it (an outcome or a ledger record that ends up in a log line carries only whether there was one), and
 * nothing in the gateway logs {@link #id()}.
 *
 * <p>Bounded on the way in ({@link #of}), never refused: control characters and invisible formatting characters
 * (bidirectional overrides, zero-width characters, which could disguise an id in a report) are removed, and so is half
 * a surrogate pair; surrounding white space is stripped, and what is left is cut to {@value #MAX_LENGTH} UTF-16
 * characters (never inside a surrogate pair). A request without one has {@link #NONE}, stored as the empty string.
 *
 * @param id the bounded id, empty for none
 */
public record EndUser(String id) {
  /** Longest id kept; longer ones are cut. */
  public static final int MAX_LENGTH = 128;
  /** No end user named. */
  public static final EndUser NONE = new EndUser("");

  public EndUser {
    Objects.requireNonNull(id, "id");
    if (!bounded(id).equals(id)) {
      throw new IllegalArgumentException("an end user id is bounded first (EndUser.of)");
    }
  }

  /** The end user named by {@code raw} once bounded; {@link #NONE} for null or nothing left. */
  public static EndUser of(String raw) {
    String id = raw == null ? "" : bounded(raw);
    return id.isEmpty() ? NONE : new EndUser(id);
  }

  /**
   * The end user a JSON request body names: its {@code user} string, else its {@code safety_identifier} string (the
   * Responses API's and, lately, chat completions' successor of {@code user}); a value that is not a string, or
   * nothing once bounded, counts as absent. {@link #NONE} without a body.
   */
  public static EndUser fromBody(JsonNode body) {
    if (body == null || !body.isObject()) {
      return NONE;
    }
    EndUser user = text(body.get("user"));
    return user.isEmpty() ? text(body.get("safety_identifier")) : user;
  }

  private static EndUser text(JsonNode value) {
    return value != null && value.isTextual() ? of(value.textValue()) : NONE;
  }

  /** This one, or {@code other} when this one is {@link #NONE}. */
  public EndUser or(EndUser other) {
    return isEmpty() ? other : this;
  }

  public boolean isEmpty() {
    return id.isEmpty();
  }

  /** Says whether there is one, never what it is. */
  @Override
  public String toString() {
    return isEmpty() ? "EndUser[none]" : "EndUser[hidden]";
  }

  /** Reads no further than it keeps, so a megabyte-long value costs no more than a short one. */
  private static String bounded(String raw) {
    StringBuilder kept = new StringBuilder(Math.min(raw.length(), MAX_LENGTH + 1));
    for (int i = 0; i < raw.length() && kept.length() < MAX_LENGTH; ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp); // a surrogate here is half a pair: not text any store could keep
      boolean invisible = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.SURROGATE;
      boolean leading = kept.isEmpty() && Character.isWhitespace(cp);
      if (invisible || leading) {
        continue;
      }
      if (kept.length() + Character.charCount(cp) > MAX_LENGTH) {
        break; // a pair that would not fit whole
      }
      kept.appendCodePoint(cp);
    }
    return kept.toString().strip();
  }
}
