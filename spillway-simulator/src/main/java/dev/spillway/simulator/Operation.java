package dev.spillway.simulator;

import java.util.Optional;

/**
 * An inference operation the simulator serves, with Azure's names for it. {@link #RESPONSES} is the
 * Responses API's create call; the calls on a stored response are {@link ResponseCall}s. The images,
 * audio and moderations operations are answered by {@link MediaApi}.
 */
enum Operation {
  CHAT_COMPLETIONS("chat/completions", "ChatCompletions_Create", "chatCompletion", DeploymentKind.CHAT),
  COMPLETIONS("completions", "Completions_Create", "completion", DeploymentKind.CHAT),
  EMBEDDINGS("embeddings", "Embeddings_Create", "embeddings", DeploymentKind.EMBEDDINGS),
  RESPONSES("responses", "Responses_Create", "responses", DeploymentKind.CHAT),
  IMAGE_GENERATIONS("images/generations", "ImageGenerations_Create", "imageGeneration", DeploymentKind.IMAGES),
  IMAGE_EDITS("images/edits", "ImageEdits_Create", "imageEdit", DeploymentKind.IMAGES),
  IMAGE_VARIATIONS("images/variations", "ImageVariations_Create", "imageVariation", DeploymentKind.IMAGES),
  AUDIO_TRANSCRIPTIONS("audio/transcriptions", "Transcriptions_Create", "audioTranscription", DeploymentKind.AUDIO),
  AUDIO_TRANSLATIONS("audio/translations", "Translations_Create", "audioTranslation", DeploymentKind.AUDIO),
  AUDIO_SPEECH("audio/speech", "Speech_Create", "audioSpeech", DeploymentKind.AUDIO),
  MODERATIONS("moderations", "Moderations_Create", "moderation", DeploymentKind.MODERATION);

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

  /** Whether the body is {@code multipart/form-data} with file parts (see {@link MultipartForms}) rather than JSON. */
  boolean multipart() {
    return this == IMAGE_EDITS || this == IMAGE_VARIATIONS || this == AUDIO_TRANSCRIPTIONS || this == AUDIO_TRANSLATIONS;
  }

  /**
   * Whether Azure's classic {@code /openai/deployments/{deployment}/...} URL serves it: not the
   * Responses API (Azure has no such path) nor moderations (an OpenAI API that Azure does not offer).
   */
  boolean onClassicAzure() {
    return this != RESPONSES && this != MODERATIONS;
  }

  /** The model when the body names none: OpenAI's moderations default to {@code omni-moderation-latest}. */
  Optional<String> defaultModel() {
    return this == MODERATIONS ? Optional.of("omni-moderation-latest") : Optional.empty();
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
