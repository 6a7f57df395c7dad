package dev.spillway.gateway;

import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Keeps every event the gateway publishes, for assertions. */
final class RecordingListener implements GatewayListener {
  final List<AttemptOutcome> attempts = new CopyOnWriteArrayList<>();
  final LinkedBlockingQueue<RequestOutcome> requests = new LinkedBlockingQueue<>();

  @Override
  public void onAttempt(AttemptOutcome attempt) {
    attempts.add(attempt);
  }

  @Override
  public void onRequest(RequestOutcome request) {
    requests.add(request);
  }

  /** The next finished request; the gateway publishes it just before the response's last bytes go out. */
  RequestOutcome nextRequest() throws InterruptedException {
    RequestOutcome r = requests.poll(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no request outcome was published");
    }
    return r;
  }
}
