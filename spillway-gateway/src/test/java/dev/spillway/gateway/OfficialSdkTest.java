package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The official OpenAI Java SDK, in OpenAI mode and in Azure mode, against the gateway unchanged. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialSdkTest {
  private TestWorld world;

  @BeforeAll
  void start() {
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.ptu("chat-ptu", 10_000_000),
        DeploymentConfig.payg("chat-payg", 10_000_000, 100_000),
        DeploymentConfig.embeddings("emb", 32),
        DeploymentConfig.images("gpt-image-1"),
        DeploymentConfig.audio("tts"),
        DeploymentConfig.audio("whisper")));
    Map<String, List<BackendConfig>> models = new LinkedHashMap<>();
    models.put("gpt-4o", List.of(
        Backends.azure("ptu", world.simUrl(), "chat-ptu", Tier.PTU, 1),
        Backends.azure("payg", world.simUrl(), "chat-payg", Tier.PAYG, 2)));
    models.put("text-embedding-3-small", List.of(Backends.azure("emb", world.simUrl(), "emb", Tier.PAYG, 1)));
    models.put("gpt-image-1", List.of(Backends.azure("img", world.simUrl(), "gpt-image-1", Tier.PAYG, 1)));
    models.put("tts", List.of(Backends.azure("tts", world.simUrl(), "tts", Tier.PAYG, 1)));
    models.put("whisper", List.of(Backends.azure("whisper", world.simUrl(), "whisper", Tier.PAYG, 1)));
    world.gateway(Backends.config(models));
  }

  @AfterAll
  void stop() {
    world.close();
  }

  private OpenAIClient openAi() {
    return OpenAIOkHttpClient.builder().baseUrl(world.url("/v1")).apiKey("sk-client-side").maxRetries(0).build();
  }

  private OpenAIClient azure() {
    return OpenAIOkHttpClient.builder()
        .baseUrl(world.gateway.baseUrl())
        .credential(AzureApiKeyCredential.create("client-side-key"))
        .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
        .azureUrlPathMode(AzureUrlPathMode.LEGACY)
        .maxRetries(0)
        .build();
  }

  private static ChatCompletionCreateParams chatParams() {
    return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Hello from the SDK").maxCompletionTokens(16).build();
  }

  @Test
  void openAiSdkChats() {
    ChatCompletion completion = openAi().chat().completions().create(chatParams());
    assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
    assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(16));
  }

  @Test
  void openAiSdkStreamsWithUsage() {
    ChatCompletionCreateParams params = chatParams().toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    StringBuilder text = new StringBuilder();
    long[] completionTokens = {-1};
    try (StreamResponse<ChatCompletionChunk> stream = openAi().chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
        chunk.usage().ifPresent(u -> completionTokens[0] = u.completionTokens());
      });
    }
    assertThat(text.toString()).isNotBlank();
    assertThat(completionTokens[0]).isEqualTo(16);
  }

  @Test
  void openAiSdkEmbeds() {
    CreateEmbeddingResponse response = openAi().embeddings().create(
        EmbeddingCreateParams.builder().model("text-embedding-3-small").input("embed me").build());
    assertThat(response.data()).hasSize(1);
    assertThat(response.data().get(0).embedding()).hasSize(32);
  }

  @Test
  void azureModeOfTheSdkChatsStreamsAndEmbeds() {
    OpenAIClient client = azure();
    ChatCompletion completion = client.chat().completions().create(chatParams());
    assertThat(completion.choices().get(0).message().content()).isPresent();

    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chatParams())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isNotBlank();

    CreateEmbeddingResponse embeddings = client.embeddings().create(
        EmbeddingCreateParams.builder().model("text-embedding-3-small").input("embed me").build());
    assertThat(embeddings.data().get(0).embedding()).hasSize(32);
  }

  private static ResponseCreateParams responseParams() {
    return ResponseCreateParams.builder().model("gpt-4o").input("Hello from the SDK").maxOutputTokens(16L).build();
  }

  @Test
  void openAiSdkUsesTheResponsesApi() {
    OpenAIClient client = openAi();
    Response created = client.responses().create(responseParams());
    assertThat(created.usage()).hasValueSatisfying(u -> assertThat(u.outputTokens()).isEqualTo(16));
    assertThat(client.responses().retrieve(created.id()).id()).isEqualTo(created.id());
    assertThat(client.responses().inputItems().list(created.id()).data()).isNotEmpty();

    StringBuilder text = new StringBuilder();
    long[] outputTokens = {-1};
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(responseParams())) {
      stream.stream().forEach(event -> {
        event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
        event.incomplete().ifPresent(i -> i.response().usage().ifPresent(u -> outputTokens[0] = u.outputTokens()));
        event.completed().ifPresent(c -> c.response().usage().ifPresent(u -> outputTokens[0] = u.outputTokens()));
      });
    }
    assertThat(text.toString()).isNotBlank();
    assertThat(outputTokens[0]).isEqualTo(16);

    client.responses().delete(created.id());
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> client.responses().retrieve(created.id())))
        .isInstanceOf(com.openai.errors.NotFoundException.class);
  }

  @Test
  void azureModeOfTheSdkUsesTheResponsesApi() {
    OpenAIClient client = azure();
    Response created = client.responses().create(responseParams());
    assertThat(created.usage()).isPresent();
    assertThat(client.responses().retrieve(created.id()).id()).isEqualTo(created.id());
  }

  @Test
  void openAiSdkGeneratesImagesSpeaksAndTranscribes() throws Exception {
    OpenAIClient client = openAi();
    ImagesResponse images = client.images().generate(ImageGenerateParams.builder().model("gpt-image-1")
        .prompt("a lighthouse at dawn").build());
    assertThat(images.data()).hasValueSatisfying(d -> assertThat(d).isNotEmpty());

    byte[] speech;
    try (HttpResponse r = client.audio().speech().create(SpeechCreateParams.builder().model("tts")
        .voice("alloy").input("Hello from the Java SDK.")
        .responseFormat(SpeechCreateParams.ResponseFormat.WAV).build())) {
      speech = r.body().readAllBytes();
    }
    assertThat(new String(speech, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("RIFF");

    // The speech just made, transcribed: a WAV the test made itself, through the gateway's spooled upload.
    Transcription transcript = client.audio().transcriptions().create(TranscriptionCreateParams.builder()
        .model("whisper").file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(speech))
            .filename("speech.wav").build()).build()).asTranscription();
    assertThat(transcript.text()).isNotBlank();
  }

  @Test
  void openAiSdkRunsABatchFromAnUploadedFile() throws Exception {
    OpenAIClient client = openAi();
    String lines = """
        {"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o","messages":[{"role":"user","content":"Say red."}],"max_tokens":8}}
        {"custom_id":"b","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o","messages":[{"role":"user","content":"Say blue."}],"max_tokens":8}}
        """;
    FileObject file = client.files().create(FileCreateParams.builder()
        .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)))
            .filename("batch.jsonl").build())
        .purpose(FilePurpose.BATCH).build());
    assertThat(client.files().retrieve(file.id()).id()).isEqualTo(file.id());

    Batch batch = client.batches().create(BatchCreateParams.builder().inputFileId(file.id())
        .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
        .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
    for (int i = 0; i < 20 && !batch.status().equals(Batch.Status.COMPLETED); i++) {
      batch = client.batches().retrieve(batch.id());
    }
    assertThat(batch.status()).isEqualTo(Batch.Status.COMPLETED);
    assertThat(batch.requestCounts()).hasValueSatisfying(c -> assertThat(c.completed()).isEqualTo(2));
    String output;
    try (HttpResponse r = client.files().content(batch.outputFileId().orElseThrow())) {
      output = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(output.lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"status_code\":200"));
    assertThat(client.files().list().data()).extracting(FileObject::id).contains(file.id());
    assertThat(client.batches().list().data()).extracting(Batch::id).contains(batch.id());
  }
}
