package dev.spillway.core.api;

/** What an inbound request asks for, independent of the URL shape it arrived in. */
public enum Operation {
  CHAT_COMPLETIONS("chat/completions", true),
  COMPLETIONS("completions", true),
  EMBEDDINGS("embeddings", true),
  /** {@code POST /responses}: the Responses API; JSON or a stream of typed events, maybe a stored response. */
  RESPONSES("responses", "responses", true),
  /** {@code GET /responses/{id}}: a stored response, from the backend that holds it. */
  RESPONSES_GET("responses/{id}", "responses.retrieve", true),
  /** {@code DELETE /responses/{id}}. */
  RESPONSES_DELETE("responses/{id}", "responses.delete", true),
  /** {@code GET /responses/{id}/input_items}. */
  RESPONSES_INPUT_ITEMS("responses/{id}/input_items", "responses.input_items", true),
  /** {@code POST /responses/{id}/cancel}: a background response. */
  RESPONSES_CANCEL("responses/{id}/cancel", "responses.cancel", true),
  /** {@code POST /images/generations}: JSON in, JSON out (gpt-image models report token usage, DALL-E none). */
  IMAGES_GENERATIONS("images/generations", true),
  /** {@code POST /images/edits}: a multipart form with the image(s), a prompt and maybe a mask. */
  IMAGES_EDITS("images/edits", true),
  /** {@code POST /images/variations}: a multipart form with one image. */
  IMAGES_VARIATIONS("images/variations", true),
  /** {@code POST /audio/transcriptions}: a multipart form with the audio file; JSON or text back. */
  AUDIO_TRANSCRIPTIONS("audio/transcriptions", true),
  /** {@code POST /audio/translations}: as transcriptions, into English. */
  AUDIO_TRANSLATIONS("audio/translations", true),
  /** {@code POST /audio/speech}: JSON in, the audio streamed back as it comes. */
  AUDIO_SPEECH("audio/speech", true),
  /** {@code POST /moderations}: OpenAI's moderation models (no Azure deployment route). */
  MODERATIONS("moderations", true),
  /**
   * {@code GET /realtime?model=} upgraded to a WebSocket: one session, proxied frame by frame to the backend chosen at
   * connect time. Metered as the session (no tokens) plus one {@link #REALTIME_RESPONSE} per response it produced.
   */
  REALTIME("realtime", "realtime", true),
  /** One response of a realtime session ({@code response.done}): never a route, the unit its usage is booked in. */
  REALTIME_RESPONSE("realtime", "realtime.response", true),
  /** {@code POST /files}: a multipart upload of one file, stored on a backend; a batch input file names its model. */
  FILES_CREATE("files", "files.create", true),
  /** {@code GET /files}: the caller's own files, answered from the gateway's registry. */
  FILES_LIST("files", "files.list", true),
  /** {@code GET /files/{id}}: a file's metadata. */
  FILES_GET("files/{id}", "files.retrieve", true),
  /** {@code DELETE /files/{id}}. */
  FILES_DELETE("files/{id}", "files.delete", true),
  /** {@code GET /files/{id}/content}: the file's bytes, streamed; a batch's output is booked here. */
  FILES_CONTENT("files/{id}/content", "files.content", true),
  /** {@code POST /batches}: a batch of the requests in an input file, run on the backend that holds the file. */
  BATCHES_CREATE("batches", "batches.create", true),
  /** {@code GET /batches}: the caller's own batches, answered from the gateway's registry. */
  BATCHES_LIST("batches", "batches.list", true),
  /** {@code GET /batches/{id}}. */
  BATCHES_GET("batches/{id}", "batches.retrieve", true),
  /** {@code POST /batches/{id}/cancel}. */
  BATCHES_CANCEL("batches/{id}/cancel", "batches.cancel", true),
  /**
   * {@code POST /uploads}: a large file sent in parts (the Uploads API). It names its size, not its content: it goes
   * where the caller's other files go, and a batch input file cannot be sent this way (its lines could not be renamed).
   */
  UPLOADS_CREATE("uploads", "uploads.create", true),
  /** {@code POST /uploads/{id}/parts}: one part, a multipart form with the part's bytes as {@code data}. */
  UPLOADS_PARTS("uploads/{id}/parts", "uploads.parts", true),
  /** {@code POST /uploads/{id}/complete}: the parts in order; the answer holds the file made of them. */
  UPLOADS_COMPLETE("uploads/{id}/complete", "uploads.complete", true),
  /** {@code POST /uploads/{id}/cancel}. */
  UPLOADS_CANCEL("uploads/{id}/cancel", "uploads.cancel", true),
  /** {@code POST /vector_stores}: a store for file search, on the backend of the files it names (or the caller's home). */
  VECTOR_STORES_CREATE("vector_stores", "vector_stores.create", true),
  /** {@code GET /vector_stores}: the caller's own stores, answered from the gateway's registry. */
  VECTOR_STORES_LIST("vector_stores", "vector_stores.list", true),
  /** {@code GET /vector_stores/{id}}. */
  VECTOR_STORES_GET("vector_stores/{id}", "vector_stores.retrieve", true),
  /** {@code POST /vector_stores/{id}}: its name, expiry or metadata. */
  VECTOR_STORES_MODIFY("vector_stores/{id}", "vector_stores.update", true),
  /** {@code DELETE /vector_stores/{id}}. */
  VECTOR_STORES_DELETE("vector_stores/{id}", "vector_stores.delete", true),
  /**
   * Any call below a store — its files, file batches, search — with the rest of the path in {@link
   * ApiRoute#subPath()}: all of them live where the store is.
   */
  VECTOR_STORES_CALL("vector_stores/{id}", "vector_stores.call", true),
  /**
   * The usage of a finished batch, read from its output file when the file is fetched through the gateway: never a
   * route, the unit a batch's tokens are booked in (once per output file).
   */
  BATCH_OUTPUT("batches", "batches.output", true),
  LIST_MODELS("models", false),
  GET_MODEL("models/{model}", false),
  HEALTHZ("healthz", false),
  READYZ("readyz", false),
  /** {@code GET /metrics}: Prometheus text, behind {@code admin.metricsAccess}. */
  METRICS("metrics", false),
  /**
   * {@code GET /dashboard[/{resource}]}: the live dashboard's page, its assets and its data
   * ({@code api/stats}); the path parameter is the resource below {@code /dashboard/}, empty for the
   * page. Behind {@code admin.metricsAccess}, like the metrics.
   */
  DASHBOARD("dashboard", false),
  /** {@code GET /admin/backends}: every backend's live state. */
  ADMIN_BACKENDS("admin/backends", false),
  /** {@code POST /admin/backends/{id}/force-open}: stop sending it calls until reset. */
  ADMIN_FORCE_OPEN("force-open", false),
  /** {@code POST /admin/backends/{id}/disable}: switch its circuit breaker off. */
  ADMIN_DISABLE("disable", false),
  /** {@code POST /admin/backends/{id}/reset}: close the breaker and clear any throttle. */
  ADMIN_RESET("reset", false),
  /** {@code GET /admin/usage?from=&to=&by=&format=}: the chargeback report of the usage ledger. */
  ADMIN_USAGE("admin/usage", false),
  /** {@code GET /admin/cache}: the response cache's size. */
  ADMIN_CACHE_STATS("admin/cache", false),
  /** {@code DELETE /admin/cache?consumer=&team=&model=&key=}: removes the cached answers that match (all, when none given). */
  ADMIN_CACHE_INVALIDATE("admin/cache", false),
  /** {@code GET /admin/safety}: safety events by category and severity, and potentially abusive end users. */
  ADMIN_SAFETY("admin/safety", false),
  /** {@code POST /admin/safety/lift?consumer=&user=}: lifts an end user's throttle or suspension. */
  ADMIN_SAFETY_LIFT("admin/safety/lift", false),
  /** {@code POST /admin/reload}: reload the config file; the running config stays when the file is invalid. */
  ADMIN_RELOAD("admin/reload", false),
  /** {@code GET /admin/consumers}: consumers with their key ids (never secrets). */
  ADMIN_CONSUMERS("admin/consumers", false),
  /** {@code POST /admin/consumers/{id}/keys}: a new gateway key, shown once; the previous one stays valid. */
  ADMIN_CREATE_KEY("keys", false),
  /** {@code POST /admin/keys/{keyId}/revoke}: the key stops working at once. */
  ADMIN_REVOKE_KEY("revoke", false),
  /** {@code PUT /admin/consumers/{id}}: add or replace a consumer (not one of the config file). */
  ADMIN_PUT_CONSUMER("consumers/{id}", false),
  /** {@code DELETE /admin/consumers/{id}}: remove a consumer added through the API, and revoke its keys. */
  ADMIN_DELETE_CONSUMER("consumers/{id}", false);

  /** Where an operation's object id goes in {@link #pathSuffix()}. */
  private static final String ID = "{id}";

  private final String pathSuffix;
  private final String label;
  private final boolean proxied;

  Operation(String pathSuffix, boolean proxied) {
    this(pathSuffix, pathSuffix, proxied);
  }

  Operation(String pathSuffix, String label, boolean proxied) {
    this.pathSuffix = pathSuffix;
    this.label = label;
    this.proxied = proxied;
  }

  /**
   * The path below the API base, e.g. {@code chat/completions}; {@code {id}} stands for the object id of an operation
   * {@link #onObject() on an object}.
   */
  public String pathSuffix() {
    return pathSuffix;
  }

  /**
   * The name the usage ledger and the metrics give the operation: the path for the first operations ({@code
   * chat/completions}), a dotted name where one path serves several ({@code responses.retrieve}).
   */
  public String label() {
    return label;
  }

  /** True when the path names an object the gateway's registry knows (a stored response, a file, ...). */
  public boolean onObject() {
    return pathSuffix.contains(ID);
  }

  /** The path below the API base for the object {@code encodedId} (already percent-encoded). */
  public String pathFor(String encodedId) {
    return onObject() ? pathSuffix.replace(ID, encodedId) : pathSuffix;
  }

  /**
   * True for a call of a model: it costs tokens and is metered as a model call. False for the gateway's own routes, for
   * calls on a stored object (retrieve, delete, ...) and for a realtime session as a whole (its responses are).
   */
  public boolean callsModel() {
    return proxied && !onObject() && this != REALTIME && !storesObjects();
  }

  /**
   * True when the gateway reads the request's JSON body: a model call over HTTP that is not an upload, and a batch's
   * creation (it names its input file).
   */
  public boolean readsJsonBody() {
    return (callsModel() && this != REALTIME_RESPONSE && this != BATCH_OUTPUT && !multipart())
        || this == BATCHES_CREATE || this == UPLOADS_CREATE || this == UPLOADS_COMPLETE || this == VECTOR_STORES_CREATE
        || this == VECTOR_STORES_MODIFY || this == VECTOR_STORES_CALL;
  }

  /** True when the body is a multipart form with a file, spooled to disk rather than read into memory. */
  public boolean multipart() {
    return this == IMAGES_EDITS || this == IMAGES_VARIATIONS || this == AUDIO_TRANSCRIPTIONS || this == AUDIO_TRANSLATIONS
        || this == FILES_CREATE || this == UPLOADS_PARTS;
  }

  /**
   * True for the routes of the files, batches and uploads APIs: they create, list and read objects rather than call a model,
   * and live on the resource, not on one deployment (Azure's classic shape has them at {@code /openai/files}).
   */
  public boolean storesObjects() {
    return name().startsWith("FILES_") || name().startsWith("BATCHES_") || name().startsWith("UPLOADS_")
        || name().startsWith("VECTOR_STORES_");
  }

  /** True for a list of the caller's objects, which the gateway answers from its registry. */
  public boolean listsObjects() {
    return this == FILES_LIST || this == BATCHES_LIST || this == VECTOR_STORES_LIST;
  }

  /**
   * True when the backend's URL names the deployment ({@code /openai/deployments/{d}/...} in Azure's classic shape);
   * false for what lives on the resource: the Responses API, files and batches.
   */
  public boolean deploymentScoped() {
    return !responsesApi() && !storesObjects();
  }

  /** True when a successful answer may be plain text rather than JSON (a transcript as text, SRT or WebVTT). */
  public boolean mayAnswerText() {
    return this == AUDIO_TRANSCRIPTIONS || this == AUDIO_TRANSLATIONS;
  }

  /** True when the request is forwarded to a backend; false when the gateway answers itself. */
  public boolean proxied() {
    return proxied;
  }

  /**
   * True when a successful answer is bytes to pass on as they come, neither JSON nor events: speech, and a stored
   * file's content.
   */
  public boolean answersBytes() {
    return this == AUDIO_SPEECH || this == FILES_CONTENT;
  }

  /** True for operations whose response may be a server-sent event stream. */
  public boolean mayStream() {
    return this == CHAT_COMPLETIONS || this == COMPLETIONS || this == RESPONSES;
  }

  /** True for the Responses API's operations. */
  public boolean responsesApi() {
    return name().startsWith("RESPONSES");
  }
}
