package dev.spillway.gateway.pipeline;

import dev.spillway.core.usage.TokenUsage;
import java.util.List;

/**
 * What the forward stage reads about stored objects in a backend's answer, for the policies that keep track of them:
 * the files a batch's answer names, and the usage in a batch's output file as it passed through.
 */
public final class ObjectFacts {
  /** The files an answer names ({@code output_file_id}, {@code error_file_id} of a batch). */
  public static final AttributeKey<LinkedFiles> LINKED_FILES = AttributeKey.of("linkedFiles", LinkedFiles.class);

  /** The usage of every answered request in a batch's output file, read whole on its way to the client. */
  public static final AttributeKey<TokenUsage> BATCH_OUTPUT_USAGE = AttributeKey.of("batchOutputUsage", TokenUsage.class);

  private ObjectFacts() {}

  /** File ids an answer names, in the order it names them. */
  public record LinkedFiles(List<String> ids) {
    public LinkedFiles {
      ids = List.copyOf(ids);
    }
  }
}
