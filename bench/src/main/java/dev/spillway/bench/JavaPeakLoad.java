package dev.spillway.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The closed-loop peak measurement without wrk (CI, or a machine without it): {@code connections}
 * loops on one Vert.x client, each sending the next request when the previous answer is read.
 * Slower than wrk per request, so its peaks are lower bounds; the report names the tool.
 */
final class JavaPeakLoad {
  private final Vertx vertx;
  private final int connections;

  JavaPeakLoad(Vertx vertx, int connections) {
    this.vertx = vertx;
    this.connections = connections;
  }

  PeakResult run(LoadTarget target, Buffer body, Duration duration) {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections));
    AtomicLong answered = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    try {
      for (int i = 0; i < connections; i++) {
        vertx.runOnContext(v -> loop(client, target, body, end, answered, errors, latencies));
      }
      while (System.nanoTime() - end < 0) {
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long cpu = os.getProcessCpuTime() - cpuStart;
      long[] sorted;
      synchronized (latencies) {
        sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      return new PeakResult(
          "java", answered.get() / seconds, errors.get(), rank(sorted, 0.5), rank(sorted, 0.99), seconds, cpu / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      client.close().await();
    }
  }

  /**
   * Sends one request through a Vert.x client of this JVM and waits (up to a minute) for its
   * answer, so neither this JVM's cold client path nor the participant's first request is measured.
   */
  static void prime(Vertx vertx, LoadTarget target, Buffer body) {
    HttpClient client = vertx.createHttpClient();
    try {
      JsonPost.send(client, target.url(), target.headers(), body)
          .timeout(60, java.util.concurrent.TimeUnit.SECONDS)
          .await();
    } finally {
      client.close().await();
    }
  }

  private void loop(
      HttpClient client, LoadTarget target, Buffer body, long end, AtomicLong answered, AtomicLong errors, List<Long> latencies) {
    if (System.nanoTime() - end >= 0) {
      return;
    }
    long sent = System.nanoTime();
    JsonPost.send(client, target.url(), target.headers(), body)
        .onComplete(
            ar -> {
              long now = System.nanoTime();
              if (now - end < 0) {
                answered.incrementAndGet();
                latencies.add(now - sent);
                if (ar.failed() || ar.result() / 100 != 2) {
                  errors.incrementAndGet();
                }
              }
              loop(client, target, body, end, answered, errors, latencies);
            });
  }

  private static double rank(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
