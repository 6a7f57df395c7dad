package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The files and batches APIs of one simulated resource (and the Uploads API, {@link UploadsApi}): {@code /v1/files}, {@code /openai/v1/files} and Azure's
 * {@code /openai/files?api-version=} (and {@code batches} alike). Files are held in memory, whole (a file up to
 * {@value #MAX_FILE_BYTES} bytes); a batch runs its input file at once when it is first read after its creation
 * ({@link BatchRun}), so a caller polling it sees {@code validating}, then {@code completed} with an output file. Lists
 * hold every file and batch of the resource: behind one key a backend cannot tell callers apart, which is why the
 * gateway answers its callers' lists itself. Thread-safe.
 */
final class FilesApi {
  static final int MAX_FILE_BYTES = 64 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record StoredFile(String id, String purpose, String filename, byte[] bytes, long createdAt) {
    ObjectNode json() {
      return JSON.createObjectNode().put("id", id).put("object", "file").put("bytes", bytes.length)
          .put("created_at", createdAt).put("filename", filename).put("purpose", purpose).put("status", "processed");
    }
  }

  private static final class Batch {
    final ObjectNode json;

    Batch(ObjectNode json) {
      this.json = json;
    }
  }

  private final Map<String, DeploymentRuntime> deployments;
  private final Clock clock;
  private final long seed;
  private final String fingerprint;
  private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
  private final Map<String, Batch> batches = new ConcurrentHashMap<>();
  private final UploadsApi uploads;
  private final VectorStoresApi vectorStores;

  FilesApi(Map<String, DeploymentRuntime> deployments, Clock clock, long seed, String fingerprint) {
    this.deployments = deployments;
    this.clock = clock;
    this.seed = seed;
    this.fingerprint = fingerprint;
    this.uploads = new UploadsApi(this, clock);
    this.vectorStores = new VectorStoresApi(this, id -> Optional.ofNullable(files.get(id)).map(StoredFile::bytes), clock);
  }

  /** Stores a file made elsewhere (a completed upload's parts) and returns its JSON. */
  ObjectNode store(String purpose, String filename, byte[] bytes) {
    StoredFile file = new StoredFile(nextId("file-"), purpose, filename, bytes, clock.instant().getEpochSecond());
    files.put(file.id(), file);
    return file.json();
  }

  /** Answers {@code req} if it is a files or batches call and returns true; false for any other path. */
  boolean handle(HttpServerRequest req, Predicate<HttpServerRequest> authorized) {
    String p = req.path();
    String rest;
    boolean classic = false;
    if (p.startsWith("/openai/v1/")) {
      rest = p.substring("/openai/v1/".length());
    } else if (p.startsWith("/v1/")) {
      rest = p.substring("/v1/".length());
    } else if (p.startsWith("/openai/files") || p.startsWith("/openai/batches") || p.startsWith("/openai/uploads")
        || p.startsWith("/openai/vector_stores")) {
      rest = p.substring("/openai/".length());
      classic = true;
    } else {
      return false;
    }
    String[] parts = rest.split("/", -1);
    if (!Set.of("files", "batches", "uploads", "vector_stores").contains(parts[0])) {
      return false;
    }
    HttpServerResponse res = req.response();
    String version = req.getParam("api-version");
    if ((classic && (version == null || version.isBlank())) || parts.length > 4) {
      Replies.error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
      return true;
    }
    if (!authorized.test(req)) {
      Replies.error(res, 401, "401", AzureErrors.ACCESS_DENIED);
      return true;
    }
    if (parts[0].equals("uploads")) {
      uploads.handle(req, parts);
      return true;
    }
    if (parts[0].equals("vector_stores")) {
      vectorStores.handle(req, parts);
      return true;
    }
    if (parts.length > 3) {
      Replies.error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
      return true;
    }
    boolean isFiles = parts[0].equals("files");
    String id = parts.length > 1 ? parts[1] : null;
    String sub = parts.length > 2 ? parts[2] : null;
    HttpMethod m = req.method();
    if (id == null && m == HttpMethod.GET) {
      list(res, isFiles);
    } else if (id == null && m == HttpMethod.POST) {
      if (isFiles) {
        upload(req);
      } else {
        req.body().onSuccess(body -> createBatch(res, body));
      }
    } else if (isFiles && id != null && sub == null && (m == HttpMethod.GET || m == HttpMethod.DELETE)) {
      file(res, id, m == HttpMethod.DELETE);
    } else if (isFiles && "content".equals(sub) && m == HttpMethod.GET) {
      content(res, id);
    } else if (!isFiles && id != null && sub == null && m == HttpMethod.GET) {
      batch(res, id, false);
    } else if (!isFiles && "cancel".equals(sub) && m == HttpMethod.POST) {
      batch(res, id, true);
    } else {
      Replies.error(res, 405, "405", "The " + m.name() + " method is not allowed on " + p + ".");
    }
    return true;
  }

  private void upload(HttpServerRequest req) {
    String contentType = req.getHeader("content-type");
    Optional<String> boundary = MultipartReader.boundary(contentType);
    HttpServerResponse res = req.response();
    if (boundary.isEmpty()) {
      req.body().onSuccess(ignored -> Replies.badRequest(res,
          new InvalidRequestException("Invalid Content-Type header, expected multipart/form-data.", null)));
      return;
    }
    MultipartReader reader = new MultipartReader(boundary.get(), MAX_FILE_BYTES);
    req.body().onSuccess(body -> {
      MultipartForm form;
      try {
        reader.feed(body.getBytes());
        form = reader.finish();
      } catch (InvalidRequestException e) {
        Replies.badRequest(res, e);
        return;
      }
      Optional<String> purpose = form.fields().stream().filter(f -> f.name().equals("purpose"))
          .map(MultipartForm.Field::value).findFirst();
      Optional<MultipartForm.FilePart> file = form.files().stream().filter(f -> f.name().equals("file")).findFirst();
      if (purpose.isEmpty() || file.isEmpty()) {
        Replies.badRequest(res, new InvalidRequestException("'purpose' and 'file' are required.", null));
        return;
      }
      if (file.get().size() > MAX_FILE_BYTES) {
        Replies.error(res, 413, "FileTooLarge", "The simulator keeps files of up to " + MAX_FILE_BYTES + " bytes.");
        return;
      }
      StoredFile stored = new StoredFile(nextId("file-"), purpose.get(), file.get().filename(), file.get().head(),
          clock.instant().getEpochSecond());
      files.put(stored.id(), stored);
      Replies.send(res, 200, stored.json().toString());
    });
  }

  private void file(HttpServerResponse res, String id, boolean delete) {
    StoredFile file = delete ? files.remove(id) : files.get(id);
    if (file == null) {
      Replies.error(res, 404, "404", "File '" + id + "' not found.");
      return;
    }
    Replies.send(res, 200, delete
        ? JSON.createObjectNode().put("id", id).put("object", "file").put("deleted", true).toString()
        : file.json().toString());
  }

  private void content(HttpServerResponse res, String id) {
    StoredFile file = files.get(id);
    if (file == null) {
      Replies.error(res, 404, "404", "File '" + id + "' not found.");
      return;
    }
    res.setStatusCode(200).putHeader("content-type", "application/octet-stream").end(Buffer.buffer(file.bytes()));
  }

  private void createBatch(HttpServerResponse res, Buffer body) {
    ObjectNode request;
    try {
      request = (ObjectNode) JSON.readTree(body.getBytes());
    } catch (Exception e) {
      Replies.badRequest(res, new InvalidRequestException("The body must be a JSON object.", null));
      return;
    }
    String inputId = request.path("input_file_id").asText("");
    StoredFile input = files.get(inputId);
    if (input == null || !input.purpose().equals("batch")) {
      Replies.badRequest(res, new InvalidRequestException(
          "input_file_id must name a file uploaded with purpose 'batch'.", "input_file_id"));
      return;
    }
    long now = clock.instant().getEpochSecond();
    ObjectNode json = JSON.createObjectNode().put("id", nextId("batch_")).put("object", "batch")
        .put("endpoint", request.path("endpoint").asText("/chat/completions")).putNull("errors")
        .put("input_file_id", inputId).put("completion_window", request.path("completion_window").asText("24h"))
        .put("status", "validating").putNull("output_file_id").putNull("error_file_id").put("created_at", now)
        .putNull("in_progress_at").put("expires_at", now + 86_400).putNull("completed_at").putNull("cancelled_at");
    json.putObject("request_counts").put("total", 0).put("completed", 0).put("failed", 0);
    json.set("metadata", request.has("metadata") ? request.get("metadata") : JSON.nullNode());
    batches.put(json.path("id").asText(), new Batch(json));
    Replies.send(res, 200, json.toString());
  }

  private void batch(HttpServerResponse res, String id, boolean cancel) {
    Batch batch = batches.get(id);
    if (batch == null) {
      Replies.error(res, 404, "404", "Batch '" + id + "' not found.");
      return;
    }
    String json;
    synchronized (batch) {
      String status = batch.json.path("status").asText();
      long now = clock.instant().getEpochSecond();
      if (cancel && status.equals("validating")) {
        batch.json.put("status", "cancelled").put("cancelled_at", now);
      } else if (!cancel && status.equals("validating")) {
        run(batch, now);
      }
      json = batch.json.toString();
    }
    Replies.send(res, 200, json);
  }

  /** Runs the batch's input at once and completes it with an output file (and an error file if a line failed). */
  private void run(Batch batch, long now) {
    String id = batch.json.path("id").asText();
    StoredFile input = files.get(batch.json.path("input_file_id").asText());
    BatchRun run = input == null
        ? new BatchRun("", "", 0, 0)
        : BatchRun.run(input.bytes(), id, deployments, seed, now, fingerprint);
    StoredFile output = new StoredFile(nextId("file-"), "batch_output", id + "_output.jsonl",
        run.output().getBytes(StandardCharsets.UTF_8), now);
    files.put(output.id(), output);
    batch.json.put("output_file_id", output.id());
    if (run.failed() > 0) {
      StoredFile errors = new StoredFile(nextId("file-"), "batch_output", id + "_error.jsonl",
          run.errors().getBytes(StandardCharsets.UTF_8), now);
      files.put(errors.id(), errors);
      batch.json.put("error_file_id", errors.id());
    }
    batch.json.put("status", "completed").put("in_progress_at", now).put("completed_at", now);
    ((ObjectNode) batch.json.get("request_counts")).put("total", run.total())
        .put("completed", run.total() - run.failed()).put("failed", run.failed());
  }

  private void list(HttpServerResponse res, boolean isFiles) {
    List<ObjectNode> all = isFiles
        ? files.values().stream().map(StoredFile::json).toList()
        : batches.values().stream().map(b -> {
          synchronized (b) {
            return b.json.deepCopy();
          }
        }).toList();
    ArrayNode data = JSON.createArrayNode();
    all.stream().sorted(Comparator.comparingLong((ObjectNode o) -> o.path("created_at").asLong()).reversed())
        .forEach(data::add);
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    list.set("data", data);
    list.put("has_more", false);
    Replies.send(res, 200, list.toString());
  }

  /** A fresh id: unique across simulators too (two resources never share an object id, as on Azure). */
  String nextId(String prefix) {
    return prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }
}
