package dev.spillway.gateway.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The request parser through real HTTP, coverage-guided: every request the fuzzer writes (method, URL, headers,
 * body — see {@link ClientRequests}) goes over a fresh loopback connection to a gateway in front of the simulator, and
 * must get an answer below 500, OpenAI-shaped when it is an error ({@link RawHttp#assertSound}). The gateway runs in
 * this JVM, so the fuzzer sees which of its branches each request reached. Network access is allowed to loopback
 * only.
 */
class GatewayRequestFuzzTest {
  private static FuzzGateway gateway;

  @BeforeAll
  static void start() {
    gateway = FuzzGateway.start();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @FuzzTest(maxDuration = "5s")
  void answersEveryRequestWithoutA5xx(FuzzedDataProvider data) throws Exception {
    byte[] request = ClientRequests.next(Choices.of(data));
    try (SilentCloseable loopbackOnly =
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"))) {
      RawHttp.assertSound(RawHttp.exchange(gateway.port(), request), request);
    }
  }
}
