package dev.spillway.gateway.dashboard;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's page, script and style sheet, read once from the jar ({@code /dashboard/...}).
 * Only the files listed here are served: a request names one of them or gets a 404, so no path
 * ever reaches the class loader. Immutable after construction; safe from any thread.
 */
final class DashboardAssets {
  /** One file as it is served. */
  record Asset(Buffer body, String contentType, String etag) {}

  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "dashboard.js", "text/javascript; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8",
      "favicon.svg", "image/svg+xml");

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  DashboardAssets() {
    FILES.forEach((name, type) -> assets.put(name, load(name, type)));
  }

  /** {@code resource} is the path below {@code /dashboard/}; empty names the page. */
  Optional<Asset> find(String resource) {
    return Optional.ofNullable(assets.get(resource.isEmpty() ? "index.html" : resource));
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = DashboardAssets.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset missing from the jar: /dashboard/" + name);
      }
      byte[] bytes = in.readAllBytes();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return new Asset(Buffer.buffer(bytes), contentType, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
