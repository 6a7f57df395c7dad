package dev.spillway.core.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The tokenizer vocabularies a {@link TokenEstimator} counts with, each loaded once, on first use, and kept.
 *
 * <p>Loading one is slow (o200k: ~200k entries, a few hundred milliseconds of CPU on a cold JVM), so a gateway loads
 * its models' vocabularies on a worker thread after it is ready; meanwhile {@link #isLoaded(EncodingType)} tells a
 * caller on an event loop that {@link #get(EncodingType)} would wait for the load, so that it counts on a worker
 * instead. Thread-safe: concurrent first callers of one vocabulary wait for a single load.
 */
public final class Vocabularies {
  private static final Vocabularies SHARED = loadingWith(Encodings.newLazyEncodingRegistry()::getEncoding);

  private final Function<EncodingType, Encoding> loader;
  /** By {@link EncodingType#ordinal()}: set once a load has returned, so a read here never waits. */
  private final AtomicReferenceArray<Encoding> loaded = new AtomicReferenceArray<>(EncodingType.values().length);

  private Vocabularies(Function<EncodingType, Encoding> loader) {
    this.loader = loader;
  }

  /** The vocabularies every estimator of this JVM shares unless given others: they are large and immutable. */
  public static Vocabularies shared() {
    return SHARED;
  }

  /**
   * Vocabularies that {@code loader} loads, such as a jtokkit registry's {@code getEncoding}: it must be thread-safe and
   * load each type at most once, as jtokkit's lazy registry does. Tests pass one whose loads they hold.
   */
  public static Vocabularies loadingWith(Function<EncodingType, Encoding> loader) {
    return new Vocabularies(loader);
  }

  /** The vocabulary of {@code type}, loading it first (on this thread, or waiting for a load under way) if need be. */
  public Encoding get(EncodingType type) {
    Encoding encoding = loaded.get(type.ordinal());
    if (encoding == null) {
      encoding = loader.apply(type);
      loaded.set(type.ordinal(), encoding);
    }
    return encoding;
  }

  /** Whether {@link #get(EncodingType)} answers at once, without loading or waiting for a load. */
  public boolean isLoaded(EncodingType type) {
    return loaded.get(type.ordinal()) != null;
  }
}
