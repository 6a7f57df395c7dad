package dev.spillway.simulator;

import java.util.Locale;

/**
 * What a simulated deployment serves: chat and text completions (and the Responses API), embeddings,
 * images, audio or moderations. Kind and tier are independent: any kind can be PTU or PAYG, and a PTU
 * deployment spills over only to a PAYG deployment of the same kind.
 */
public enum DeploymentKind {
  /** Answers {@code chat/completions} and {@code completions}. */
  CHAT,
  /** Answers {@code embeddings}. */
  EMBEDDINGS,
  /** Answers {@code images/generations}, {@code images/edits} and {@code images/variations}. */
  IMAGES,
  /** Answers {@code audio/transcriptions}, {@code audio/translations} and {@code audio/speech}. */
  AUDIO,
  /** Answers {@code moderations} (OpenAI URL shapes only). */
  MODERATION;

  /** The lower-case name used in YAML ({@code chat}, {@code embeddings}, {@code images}, ...). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
