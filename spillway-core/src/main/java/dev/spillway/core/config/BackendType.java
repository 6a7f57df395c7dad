package dev.spillway.core.config;

/** The wire dialect a backend speaks. */
public enum BackendType {
  /**
   * Azure OpenAI classic: {@code {url}/openai/deployments/{deployment}/{operation}?api-version=...},
   * authenticated with the {@code api-key} header.
   */
  AZURE,
  /**
   * OpenAI-compatible: {@code {url}/{operation}} where {@code url} is the API base including its
   * version path (for example {@code https://api.openai.com/v1}); bearer auth; the body's {@code
   * model} is rewritten to the backend's model name.
   */
  OPENAI;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
