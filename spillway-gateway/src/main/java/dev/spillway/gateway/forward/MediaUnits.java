package dev.spillway.gateway.forward;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.multipart.MultipartScanner;
import dev.spillway.core.usage.BillingUnits;
import dev.spillway.core.usage.WavLength;
import dev.spillway.gateway.pipeline.AttributeKey;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Upload;
import dev.spillway.gateway.upload.SpooledBody;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a media request is billed in besides tokens, decided where the gateway sees its answer:
 *
 * <ul>
 *   <li>images (generations, edits, variations): the entries of the answer's {@code data} array;
 *   <li>transcriptions and translations: the seconds the answer reports ({@code usage.seconds} of a {@code duration}
 *       usage, else {@code duration}); when it reports none (a transcript asked for as text, a translation's JSON),
 *       the length of the uploaded file if it is a WAV file, marked estimated;
 *   <li>speech: the characters of the request's {@code input} (the request is what the service bills).
 * </ul>
 *
 * Only an answer that reached the client as a success is billed; a refused or failed request has no units. The WAV
 * file is measured before the request is forwarded ({@link #measureUpload}), off the event loop, so that the answer
 * can be booked the moment it arrives: waiting for a file read between the answer and its record would leave a window
 * in which a client that leaves is booked as gone.
 */
final class MediaUnits {
  /** The seconds of the uploaded WAV file, measured by {@link #measureUpload}. Only this class reads it. */
  private static final AttributeKey<Double> UPLOAD_SECONDS = AttributeKey.of("uploadSeconds", Double.class);

  private MediaUnits() {}

  /** True for a request whose upload {@link #measureUpload} measures: a transcription or a translation. */
  static boolean measuresUpload(RequestContext ctx) {
    return isAudioInput(ctx.route().operation()) && ctx.upload().flatMap(Upload::body).isPresent();
  }

  /**
   * Measures the form's {@code file} if it is a WAV file, on a worker thread; completes (never fails) on the calling
   * event loop once it is known, with the length noted on {@code ctx}. A file that cannot be read is not measured.
   */
  static Future<Void> measureUpload(RequestContext ctx) {
    Optional<SpooledBody> body = ctx.upload().flatMap(Upload::body);
    Optional<MultipartScanner.Part> file = body.flatMap(b ->
        b.form().parts().stream().filter(p -> p.isFile() && p.name().equals("file")).findFirst());
    Context context = Vertx.currentContext();
    if (file.isEmpty() || context == null) {
      return Future.succeededFuture();
    }
    MultipartScanner.Part part = file.get();
    return context.<OptionalDouble>executeBlocking(() -> {
      try (InputStream in = Files.newInputStream(body.get().path())) {
        in.skipNBytes(part.bodyStart());
        return WavLength.seconds(in, part.size());
      }
    }, false).map(seconds -> {
      seconds.ifPresent(s -> ctx.attribute(UPLOAD_SECONDS, s));
      return (Void) null;
    }).otherwiseEmpty();
  }

  /** The units of a successful answer read whole (images, transcripts); empty for other operations. */
  static Optional<BillingUnits> ofAnswer(RequestContext ctx, ResponseBodies.Scan scan) {
    Operation op = ctx.route().operation();
    if (op == Operation.IMAGES_GENERATIONS || op == Operation.IMAGES_EDITS || op == Operation.IMAGES_VARIATIONS) {
      return scan.dataEntries().isPresent()
          ? Optional.of(BillingUnits.images(scan.dataEntries().getAsLong()))
          : Optional.empty();
    }
    if (!isAudioInput(op)) {
      return Optional.empty();
    }
    if (scan.audioSeconds().isPresent()) {
      return Optional.of(BillingUnits.audioSeconds(scan.audioSeconds().getAsDouble(), false));
    }
    return ctx.attribute(UPLOAD_SECONDS).map(s -> BillingUnits.audioSeconds(s, true));
  }

  /** The characters of a speech request's {@code input}; empty for other operations or without a string input. */
  static Optional<BillingUnits> ofSpeech(RequestContext ctx) {
    if (ctx.route().operation() != Operation.AUDIO_SPEECH || ctx.json() == null) {
      return Optional.empty();
    }
    JsonNode input = ctx.json().get("input");
    return input != null && input.isTextual() ? Optional.of(BillingUnits.characters(input.asText())) : Optional.empty();
  }

  private static boolean isAudioInput(Operation op) {
    return op == Operation.AUDIO_TRANSCRIPTIONS || op == Operation.AUDIO_TRANSLATIONS;
  }
}
