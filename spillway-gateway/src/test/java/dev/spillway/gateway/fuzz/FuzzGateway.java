package dev.spillway.gateway.fuzz;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;

/**
 * A gateway in front of a zero-latency simulator, both on loopback ports chosen by the OS, configured from YAML as an
 * operator would: two gpt-4o deployments (PTU, then PAYG) with session affinity, an embeddings deployment, a consumer
 * known by JWT with limits keyed by a header, a JWT issuer whose keys are in a file (so bearer tokens are parsed), the
 * output-token policy (which keeps generated answers short), a 4 KiB body limit, and admin on a listener of its own
 * (the client listener answers {@code /admin/*} with 404: the fuzzer is a client, not an operator).
 */
final class FuzzGateway implements AutoCloseable {
  private static final String SIMULATOR_KEY = "simulator-key-0123456789";

  private final Vertx vertx = Vertx.vertx();
  private final Path directory;
  private final Simulator simulator;
  private final GatewayServer gateway;

  private FuzzGateway(Path directory) throws Exception {
    this.directory = directory;
    simulator = Simulator.start(vertx, SimulatorConfig.builder()
        .port(0)
        .zeroLatency(true)
        .apiKey(SIMULATOR_KEY)
        .deployments(List.of(
            DeploymentConfig.ptu("gpt-4o-ptu", 1_000_000_000L),
            DeploymentConfig.payg("gpt-4o-payg", 0, 0),
            DeploymentConfig.embeddings("text-embedding-3-small", 8)))
        .build()).await();
    Path jwks = directory.resolve("jwks.json");
    Files.writeString(jwks, jwks());
    SpillwayConfig config = ConfigLoader.parse(yaml(simulator.baseUrl(), jwks), "fuzz.yaml", name -> null, directory);
    gateway = GatewayServer.start(vertx, config, GatewayOptions.defaults()).await();
  }

  static FuzzGateway start() {
    try {
      return new FuzzGateway(Files.createTempDirectory("spillway-fuzz"));
    } catch (Exception e) {
      throw new IllegalStateException("the fuzz gateway did not start", e);
    }
  }

  int port() {
    return gateway.port();
  }

  private static String yaml(String simulatorUrl, Path jwks) {
    return """
        server: { listen: "127.0.0.1:0", maxBodyBytes: %d, requestTimeout: 5s }
        models:
          gpt-4o:
            affinity: { header: x-session-id }
            backends:
              - { id: ptu, url: "%s", deployment: gpt-4o-ptu, auth: { apiKey: %s }, tier: ptu, priority: 1 }
              - { id: payg, url: "%s", deployment: gpt-4o-payg, auth: { apiKey: %s }, tier: payg, priority: 2 }
          text-embedding-3-small:
            backends:
              - { id: embed, url: "%s", deployment: text-embedding-3-small, auth: { apiKey: %s }, tier: payg }
        consumers:
          - id: app
            team: fuzz
            models: ["*"]
            jwtSubjects: [app-subject]
            limits: { tokensPerMinute: 1000000000, per: [consumer, "header:x-user"] }
        auth:
          required: false
          jwt:
            - { issuer: "https://issuer.test", audiences: ["api://spillway"], jwksFile: "%s", consumerClaim: sub }
        maxTokens: { default: 16, cap: 32, onOverCap: lower }
        admin: { listen: "127.0.0.1:0" }
        """
        .formatted(ClientRequests.MAX_BODY_BYTES, simulatorUrl, SIMULATOR_KEY, simulatorUrl, SIMULATOR_KEY,
            simulatorUrl, SIMULATOR_KEY, jwks);
  }

  /** A JWKS with one fresh RSA key: the fuzzer cannot sign with it, so every token it sends must be refused. */
  private static String jwks() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
        + b64.encodeToString(unsigned(key.getModulus())) + "\",\"e\":\"" + b64.encodeToString(unsigned(key.getPublicExponent()))
        + "\"}]}";
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  @Override
  public void close() {
    gateway.close().await();
    simulator.close().await();
    vertx.close().await();
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
