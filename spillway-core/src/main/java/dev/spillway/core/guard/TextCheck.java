package dev.spillway.core.guard;

import java.util.List;

/**
 * One check of a guard over a text: a blocklist, a pattern list, a PII recognizer, a size limit, a prompt-injection
 * detector. Pure and thread-safe: the same text always gives the same findings, and one instance serves every request
 * at once. Built once from config; {@link #inspect} allocates little and never blocks, since it runs on the request
 * path. A check that finds nothing returns an empty list.
 *
 * <p>A provider that must call out (Azure AI Content Safety) is not a {@code TextCheck}: it has its own asynchronous
 * interface in the gateway.
 */
public interface TextCheck {
  /** A stable name for config, events and metrics: {@code blocklist:profanity}, {@code pii}, {@code injection}. */
  String id();

  /** The findings in {@code text}, ordered by start offset. */
  List<GuardFinding> inspect(CharSequence text);
}
