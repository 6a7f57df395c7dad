package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Uploads API of a simulated resource: {@code POST /uploads} opens an upload of a stated size, {@code
 * /uploads/{id}/parts} takes parts (a form with {@code data}), {@code /complete} joins the named parts in order into a
 * file (its size must be the one stated) and {@code /cancel} drops it. Held in memory; thread-safe.
 */
final class UploadsApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final class Upload {
    final ObjectNode json;
    final Map<String, byte[]> parts = new LinkedHashMap<>();

    Upload(ObjectNode json) {
      this.json = json;
    }
  }

  private final FilesApi files;
  private final Clock clock;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  UploadsApi(FilesApi files, Clock clock) {
    this.files = files;
    this.clock = clock;
  }

  /** {@code parts}: the path below the version prefix, split at {@code /}, starting with {@code uploads}. */
  void handle(HttpServerRequest req, String[] parts) {
    HttpServerResponse res = req.response();
    if (req.method() != HttpMethod.POST) {
      Replies.error(res, 405, "405", "The " + req.method().name() + " method is not allowed on " + req.path() + ".");
      return;
    }
    if (parts.length == 1) {
      req.body().onSuccess(body -> create(res, body.toString()));
      return;
    }
    Upload upload = parts.length == 3 ? uploads.get(parts[1]) : null;
    if (upload == null) {
      Replies.error(res, 404, "404", "Upload '" + (parts.length > 1 ? parts[1] : "") + "' not found.");
      return;
    }
    switch (parts[2]) {
      case "parts" -> part(req, upload);
      case "complete" -> req.body().onSuccess(body -> complete(res, upload, body.toString()));
      case "cancel" -> {
        synchronized (upload) {
          upload.json.put("status", "cancelled");
          Replies.send(res, 200, upload.json.toString());
        }
      }
      default -> Replies.error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
    }
  }

  private void create(HttpServerResponse res, String body) {
    JsonNode request = parse(body);
    if (request == null || !request.path("bytes").canConvertToLong() || request.path("filename").asText("").isEmpty()
        || request.path("purpose").asText("").isEmpty()) {
      Replies.badRequest(res, new InvalidRequestException("'bytes', 'filename', 'purpose' and 'mime_type' are required.",
          null));
      return;
    }
    long now = clock.instant().getEpochSecond();
    ObjectNode json = JSON.createObjectNode().put("id", files.nextId("upload_")).put("object", "upload")
        .put("bytes", request.path("bytes").asLong()).put("created_at", now)
        .put("filename", request.path("filename").asText()).put("purpose", request.path("purpose").asText())
        .put("status", "pending").put("expires_at", now + 3600);
    json.putNull("file");
    uploads.put(json.path("id").asText(), new Upload(json));
    Replies.send(res, 200, json.toString());
  }

  private void part(HttpServerRequest req, Upload upload) {
    Optional<String> boundary = MultipartReader.boundary(req.getHeader("content-type"));
    HttpServerResponse res = req.response();
    req.body().onSuccess(body -> {
      if (boundary.isEmpty()) {
        Replies.badRequest(res, new InvalidRequestException("A part is a multipart/form-data body.", null));
        return;
      }
      MultipartReader reader = new MultipartReader(boundary.get(), FilesApi.MAX_FILE_BYTES);
      MultipartForm form;
      try {
        reader.feed(body.getBytes());
        form = reader.finish();
      } catch (InvalidRequestException e) {
        Replies.badRequest(res, e);
        return;
      }
      Optional<MultipartForm.FilePart> data = form.files().stream().filter(f -> f.name().equals("data")).findFirst();
      if (data.isEmpty()) {
        Replies.badRequest(res, new InvalidRequestException("'data' is required.", "data"));
        return;
      }
      String id = files.nextId("part_");
      synchronized (upload) {
        upload.parts.put(id, data.get().head());
      }
      Replies.send(res, 200, JSON.createObjectNode().put("id", id).put("object", "upload.part")
          .put("created_at", clock.instant().getEpochSecond()).put("upload_id", upload.json.path("id").asText())
          .toString());
    });
  }

  private void complete(HttpServerResponse res, Upload upload, String body) {
    JsonNode request = parse(body);
    List<String> order = new ArrayList<>();
    if (request != null) {
      request.path("part_ids").forEach(p -> order.add(p.asText()));
    }
    synchronized (upload) {
      ByteArrayOutputStream joined = new ByteArrayOutputStream();
      for (String id : order) {
        byte[] part = upload.parts.get(id);
        if (part == null) {
          Replies.badRequest(res, new InvalidRequestException("Part '" + id + "' is not part of this upload.", "part_ids"));
          return;
        }
        joined.writeBytes(part);
      }
      if (joined.size() != upload.json.path("bytes").asLong()) {
        Replies.badRequest(res, new InvalidRequestException("The parts hold " + joined.size() + " bytes; the upload "
            + "was created for " + upload.json.path("bytes").asLong() + ".", "part_ids"));
        return;
      }
      upload.json.put("status", "completed");
      upload.json.set("file", files.store(upload.json.path("purpose").asText(), upload.json.path("filename").asText(),
          joined.toByteArray()));
      Replies.send(res, 200, upload.json.toString());
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      return null;
    }
  }
}
