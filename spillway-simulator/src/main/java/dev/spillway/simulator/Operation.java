package dev.spillway.simulator;

/**
 * An inference operation the simulator serves, with Azure's names for it. {@link #RESPONSES} is the
 * Responses API's create call; the calls on a stored response are {@link ResponseCall}s.
 */
enum Operation {
  CHAT_COMPLETIONS("chat/completions", "ChatCompletions_Create", "chatCompletion", DeploymentKind.CHAT),
  COMPLETIONS("completions", "Completions_Create", "completion", DeploymentKind.CHAT),
  EMBEDDINGS("embeddings", "Embeddings_Create", "embeddings", DeploymentKind.EMBEDDINGS),
  RESPONSES("responses", "Responses_Create", "responses", DeploymentKind.CHAT);

  private final String pathSuffix;
  private final String azureOperationId;
  private final String azureOperationName;
  private final DeploymentKind servedBy;

  Operation(String pathSuffix, String azureOperationId, String azureOperationName, DeploymentKind servedBy) {
    this.pathSuffix = pathSuffix;
    this.azureOperationId = azureOperationId;
    this.azureOperationName = azureOperationName;
    this.servedBy = servedBy;
  }

  /** The URL path after the deployment or version prefix, e.g. {@code chat/completions}. */
  String pathSuffix() {
    return pathSuffix;
  }

  /** Azure's operation id as it appears in 429 messages, e.g. {@code ChatCompletions_Create}. */
  String azureOperationId() {
    return azureOperationId;
  }

  /** Azure's name in {@code OperationNotSupported} messages, e.g. {@code chatCompletion}. */
  String azureOperationName() {
    return azureOperationName;
  }

  /** The deployment kind that serves this operation. */
  DeploymentKind servedBy() {
    return servedBy;
  }

  /** The operation whose path suffix is {@code suffix}, or null. */
  static Operation ofPathSuffix(String suffix) {
    for (Operation op : values()) {
      if (op.pathSuffix.equals(suffix)) {
        return op;
      }
    }
    return null;
  }
}
