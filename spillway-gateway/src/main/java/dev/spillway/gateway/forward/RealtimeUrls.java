package dev.spillway.gateway.forward;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a backend takes realtime sessions: OpenAI {@code wss://.../v1/realtime?model={model}}, Azure's v1 API {@code
 * wss://{resource}/openai/v1/realtime?model={deployment}}, Azure's classic API {@code
 * wss://{resource}/openai/realtime?api-version={apiVersion}&deployment={deployment}}. The scheme follows the backend's
 * URL ({@code https} → {@code wss}).
 */
final class RealtimeUrls {
  private static final String AZURE_V1 = "v1";

  private RealtimeUrls() {}

  static String of(BackendConfig backend) {
    String base = backend.url().toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    base = base.startsWith("https://") ? "wss://" + base.substring(8)
        : base.startsWith("http://") ? "ws://" + base.substring(7) : base;
    String deployment = URLEncoder.encode(backend.deployment(), StandardCharsets.UTF_8);
    if (backend.type() == BackendType.OPENAI) {
      return base + "/realtime?model=" + deployment;
    }
    if (AZURE_V1.equals(backend.apiVersion())) {
      return base + "/openai/v1/realtime?model=" + deployment;
    }
    return base + "/openai/realtime?api-version=" + URLEncoder.encode(backend.apiVersion(), StandardCharsets.UTF_8)
        + "&deployment=" + deployment;
  }
}
