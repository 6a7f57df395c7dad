package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.api.Operation;
import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.pipeline.ObjectFacts;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.StageFactory;
import io.vertx.core.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * {@code batchUsage}: books a batch's tokens when its output file is read through the gateway. A batch's requests run
 * inside the backend, past the gateway, and their usage is reported in one place only: each line of the output file.
 * So when a caller fetches a file's content whole and it holds answered batch requests, their summed usage is booked
 * as one more outcome, {@link Operation#BATCH_OUTPUT} ({@code batches.output}), to the caller, the file's model and
 * the backend that ran the batch: the ledger and the metrics see it like a model call.
 *
 * <p><b>Once per file.</b> A caller may fetch the same output many times, on any replica; the usage is booked by the
 * fetch that wins the registry's {@linkplain ObjectRegistry#claim claim} on the file id, and its ledger row's id is
 * derived from the file id (so even a claim lost to a registry outage and made again cannot book it twice in the
 * ledger). A fetch cut short books nothing; the next whole one does. If the registry cannot be reached the usage is
 * not booked (and a warning says so): double-counting is worse than a late count.
 */
public final class BatchUsagePolicy implements Policy {
  private static final Logger LOG = System.getLogger(BatchUsagePolicy.class.getName());

  private final ObjectRegistry registry;
  private final GatewayListener listener;
  private final Clock clock;

  BatchUsagePolicy(ObjectRegistry registry, GatewayListener listener, Clock clock) {
    this.registry = registry;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public Future<Void> completeBeforeAnswer(RequestContext ctx, RequestOutcome outcome) {
    if (ctx.route() == null || ctx.route().operation() != Operation.FILES_CONTENT) {
      return Future.succeededFuture();
    }
    Optional<TokenUsage> usage = ctx.attribute(ObjectFacts.BATCH_OUTPUT_USAGE);
    String fileId = ctx.route().pathParam().orElse("");
    if (usage.isEmpty() || fileId.isEmpty() || outcome.status() != 200) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(registry.claim("batch-output:" + fileId, clock.millis()))
        .compose(won -> {
          if (!won) {
            return Future.<Void>succeededFuture();
          }
          RequestOutcome batch = RequestOutcome.builder("batch-output-" + fileId, 200)
              .operation(Operation.BATCH_OUTPUT)
              .model(outcome.model())
              .backend(outcome.backend())
              .usage(usage, false)
              .timing(outcome.startNanos(), outcome.durationNanos())
              .attempts(1)
              .caller(outcome.caller())
              .build();
          return listener.recordBeforeAnswer(batch);
        })
        .recover(e -> {
          LOG.log(Level.WARNING, "a batch's usage was not booked: the object registry did not answer ("
              + e.getClass().getSimpleName() + "); it is booked when the output is read again");
          return Future.succeededFuture();
        });
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("batchUsage", Placement.AFTER_TERMINAL, 1900, Set.of());
    }

    @Override
    public Policy create(PipelineServices services) {
      return new BatchUsagePolicy(services.component(ObjectRegistry.class), services.listener(), services.clock());
    }
  }
}
