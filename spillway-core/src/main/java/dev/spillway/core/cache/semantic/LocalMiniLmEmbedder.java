package dev.spillway.core.cache.semantic;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The default embedder: the sentence model all-MiniLM-L6-v2, quantized to 8 bits, run in this process by ONNX Runtime
 * from the model file inside its Maven artifact (23 MB, in a 16 MB jar; nothing is downloaded, no service is called).
 * 384 dimensions, unit length. English-centred; a question is cut into 510-token pieces whose vectors are averaged,
 * so long questions cost time in proportion to their length. The native tokenizer unpacks its library into {@code
 * ~/.djl.ai} (or {@code DJL_CACHE_DIR}) on first use.
 *
 * <p>The model loads on the first {@link #embed} or {@link #embedAll}, once per process (about a second), never in
 * the constructor: building an embedder is free, and a gateway whose semantic layer is never asked never loads it.
 * Callers run it off the event loop: a 30-token question takes a few milliseconds of one core.
 *
 * <p>Thread-safe: ONNX Runtime's session and the tokenizer serve concurrent callers. {@link #embedAll} hands the
 * texts to the model together, which embeds them in parallel on a small pool of daemon threads (one per core,
 * idle threads end after a second).
 */
public final class LocalMiniLmEmbedder implements Embedder {
  /** This embedder's {@link #id()}: the model, and that it is the quantized one. */
  public static final String ID = "all-minilm-l6-v2-q";
  /** The model's vector length. */
  public static final int DIMENSIONS = 384;

  /** The loading thread's stack: loading needed more than 512 KiB here, and 1 MiB was not always enough. */
  private static final long LOAD_STACK_BYTES = 16L << 20;
  private static final Executor BATCH_THREADS = batchThreads();

  private final Object loadLock = new Object();
  private volatile EmbeddingModel model;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public float[] embed(String text) {
    Objects.requireNonNull(text, "text");
    return unit(model().embed(text).content());
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    if (texts.size() == 1) {
      return List.of(embed(texts.get(0)));
    }
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    List<Embedding> embeddings = model().embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding e : embeddings) {
      vectors.add(unit(e));
    }
    return vectors;
  }

  /** Whether this embedder has loaded its model (it does on first use). */
  public boolean loaded() {
    return model != null;
  }

  private EmbeddingModel model() {
    EmbeddingModel m = model;
    if (m != null) {
      return m;
    }
    synchronized (loadLock) {
      if (model == null) {
        model = load();
      }
      return model;
    }
  }

  /**
   * Creates the model on a thread of its own with a deep stack, and waits for it. Loading (ONNX Runtime building its
   * session, the tokenizer reading its vocabulary) runs native code that needs more stack than a thread's default
   * of 1 MiB leaves it: on a default-sized thread it crashed the whole JVM with a segmentation fault (seen from a
   * main thread with a long class path). Embedding afterwards needs little and runs on the caller's thread. The
   * library reads its files through the thread's context class loader, which here is this jar's.
   */
  private static EmbeddingModel load() {
    AtomicReference<Object> loaded = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        loaded.set(new AllMiniLmL6V2QuantizedEmbeddingModel(BATCH_THREADS));
      } catch (Throwable e) {
        loaded.set(e);
      }
    }, "spillway-embedder-load", LOAD_STACK_BYTES);
    t.setDaemon(true);
    t.setContextClassLoader(LocalMiniLmEmbedder.class.getClassLoader());
    t.start();
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true; // the load takes a second or so: finish it, then say so
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Object result = loaded.get();
    if (result instanceof EmbeddingModel m) {
      return m;
    }
    throw new IllegalStateException("the embedding model did not load", (Throwable) result);
  }

  /**
   * The vector of {@code e}, scaled to unit length. The model already normalises; doing it here keeps {@link
   * Embedder}'s contract whatever a later version of the library does.
   */
  private static float[] unit(Embedding e) {
    float[] v = e.vector();
    if (v.length != DIMENSIONS) {
      throw new IllegalStateException("the model gave " + v.length + " dimensions, not " + DIMENSIONS);
    }
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    if (norm == 0) {
      throw new IllegalStateException("the model gave a zero vector");
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  private static Executor batchThreads() {
    int threads = Runtime.getRuntime().availableProcessors();
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "spillway-embed-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
