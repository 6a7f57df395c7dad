package dev.spillway.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.SpillwayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The config loader over any text: it gives a valid config or a {@link ConfigException} that lists at least one
 * problem with a line in the file — never another exception — and no message shows a value that came from the
 * environment. A quarter of the runs feed fuzz text as it is; the rest take a valid configuration with every section
 * and apply a few fuzz-chosen edits — set any known key anywhere to an odd value, remove a key, change a value's
 * type, grow a list — write it as block YAML or as indented JSON (YAML's flow style), and sometimes splice fuzz text
 * into it, so that the binders behind a valid document are reached, not just the YAML syntax checks. A hang is caught
 * by the fuzzer's per-input timeout.
 */
class ConfigLoaderFuzzTest {
  /** Decimals stay exact (0.00002, not 2.0E-5, which the loader rightly refuses as a price). */
  private static final ObjectMapper YAML =
      new ObjectMapper(YAMLFactory.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  private static final ObjectWriter JSON =
      new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN).writerWithDefaultPrettyPrinter();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final String SECRET = "env-secret-value-4711-abcdef";
  private static final Map<String, String> ENV =
      Map.of(
          "AOAI_EASTUS_KEY", SECRET,
          "AOAI_SWEDENCENTRAL_KEY", SECRET,
          "SPILLWAY_KEY_PEPPER", SECRET,
          "SPILLWAY_ADMIN_KEY", SECRET,
          "SPILLWAY_LISTEN", "127.0.0.1:0",
          "EMPTY", "");

  /**
   * Every section of the configuration reference, valid, and small: the example file's shape with one backend of each
   * kind (a full example parses several times slower, and executions per second are what find bugs).
   */
  private static final String BASE_YAML =
      """
      server: {listen: "127.0.0.1:8080", maxBodyBytes: 16MiB, maxHeaderBytes: 32KiB, maxMessages: 4096, requestTimeout: 60s, idleTimeout: 5m, upstreamConnections: 16384}
      routing:
        defaultRetryAfter: 10s
        maxRetryAfter: 60s
        maxAttempts: 0
        requestDeadline: 2m
        breaker: {enabled: true, failureThreshold: 0, failureRatePercent: 50, minimumCalls: 5, window: 30s, tripDuration: 30s, acceptRetryAfter: true, halfOpenProbes: 1, failureStatuses: [500, 502, 503, 504]}
      models:
        gpt-4o:
          strategy: priority
          groupStrategy: weighted
          ptuWait: station
          maxWaitForPtu: {critical: 3s, standard: 1500ms, batch: 0s}
          reserveForCritical: 20%
          ptuDemandWindow: 60s
          maxPtuWaiters: 1000
          predictiveSpill: {enabled: true, ptuUtilizationPercent: 95, paygRemainingTokens: true}
          affinity: {header: x-session-id}
          backends:
            - id: ptu-eastus
              type: azure
              url: https://contoso-eastus.openai.azure.com
              deployment: gpt-4o-ptu
              apiVersion: 2024-10-21
              auth: {apiKey: "${AOAI_EASTUS_KEY}"}
              tier: ptu
              priority: 1
              weight: 1
              region: eastus
              timeouts: {connect: 5s, firstByte: 60s, idle: 60s, total: 10m}
              capacity: {tokensPerMinute: 300000}
              azureSpillover: gpt-4o
            - id: payg-openai
              type: openai
              url: https://api.openai.example/v1
              model: gpt-4o
              auth:
                entra: {tenantId: contoso.example, clientId: app-id, clientSecret: "${AOAI_SWEDENCENTRAL_KEY}", scope: "https://cognitiveservices.azure.com/.default"}
              tier: payg
              priority: 2
              capacity: {tokensPerMinute: 300000, requestsPerMinute: 1800}
        text-embedding-3-small:
          strategy: round-robin
          backends:
            - {id: embed-payg, url: "https://contoso-eastus.openai.azure.com", deployment: text-embedding-3-small, auth: {apiKeyFile: /run/secrets/aoai-key}, tier: payg}
      consumers:
        - id: search-app
          team: retail
          models: [gpt-4o, "text-embedding-*"]
          priorityClass: standard
          jwtSubjects: [00000000-0000-0000-0000-000000000001]
          limits: {tokensPerMinute: 100000, requestsPerMinute: 600, tokenQuota: {day: 5000000, month: 50000000}, per: [consumer, "header:x-user"]}
          paygBudget: {day: 50}
        - {id: nightly-batch, team: analytics, models: [gpt-4o], priorityClass: batch, maxTokens: {cap: 2048, onOverCap: refuse}, payg: deny}
      teams:
        retail: {payg: allow, paygBudget: {week: 300, month: 1000}}
      auth:
        required: true
        keyStore: spillway-data/keys.json
        keyPepper: "${SPILLWAY_KEY_PEPPER}"
        jwt:
          - issuer: https://login.example/tenant/v2.0
            audiences: ["api://spillway"]
            jwksUrl: https://login.example/tenant/discovery/v2.0/keys
            algorithms: [RS256]
            consumerClaim: appid
            clockSkew: 60s
            jwksMinRefreshInterval: 30s
            jwksMaxAge: 1h
      limits: {store: memory, redisUrl: "redis://127.0.0.1:6379", onRedisFailure: failOpen, defaultMaxTokens: 1024}
      objects: {store: redis, ttl: 30d, maxEntries: 100000, redisUrl: "redis://127.0.0.1:6379", keyPrefix: "spillway:obj:"}
      maxTokens: {default: 1024, cap: 8192, onOverCap: lower}
      pipeline: [authenticate, models, parse, authorizeModel, estimateTokens, maxTokens, limits, spillRights, forward, metering]
      ledger: {sqlite: spillway-data/usage.db, spillDirectory: spillway-data/ledger-spill, queueCapacity: 10000}
      costs:
        currency: USD
        ptu: {ptu-eastus: 18000}
        payg:
          gpt-4o: {input: 0.0025, output: 0.01, cachedInput: 0.00125}
          text-embedding-3-small: {input: 0.00002, output: 0}
        ptuUnitMonthly: 360
      plan:
        burst: 10s
        models:
          gpt-4o: {azureModel: gpt-4o, inputTokensPerMinutePerPtu: 2500, outputTokenWeight: 4, minimumPtu: 50, ptuIncrement: 50}
      admin: {apiKey: "${SPILLWAY_ADMIN_KEY}", jwtRole: Spillway.Admin, listen: "127.0.0.1:9090"}
      telemetry:
        metricLabels: [consumer, team]
        otlp: {endpoint: "http://127.0.0.1:4318", serviceName: spillway, interval: 10s, metrics: true, traces: true}
      """;

  private static final ObjectNode BASE = base();
  private static final String[] KEYS = keysOf(BASE);
  private static final JsonNode[] VALUES = {
    NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1), NODES.numberNode(100), NODES.numberNode(101),
    NODES.numberNode(Integer.MAX_VALUE + 1L), NODES.numberNode(Long.MAX_VALUE),
    NODES.numberNode(new BigInteger("99999999999999999999999")), NODES.numberNode(0.5), NODES.numberNode(-0.0),
    NODES.numberNode(1e308), NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode(),
    NODES.textNode(""), NODES.textNode(" "), NODES.textNode("0"), NODES.textNode("0s"), NODES.textNode("-1s"),
    NODES.textNode("1ms"), NODES.textNode("1m30s"), NODES.textNode("99999999999999999h"), NODES.textNode("10x"),
    NODES.textNode("16MiB"), NODES.textNode("0B"), NODES.textNode("9999999999999999GiB"), NODES.textNode("50%"),
    NODES.textNode("150%"), NODES.textNode("${AOAI_EASTUS_KEY}"), NODES.textNode("${UNSET}"),
    NODES.textNode("${UNSET:-fallback}"), NODES.textNode("${EMPTY}"), NODES.textNode("${"), NODES.textNode("$${X}"),
    NODES.textNode("http://"), NODES.textNode("https://h:99999/x?k=v"), NODES.textNode("redis://127.0.0.1:6379"),
    NODES.textNode("jdbc:postgresql://db:5432/x?password=p"), NODES.textNode("127.0.0.1:0"),
    NODES.textNode("[::1]:8080"), NODES.textNode("*"), NODES.textNode("gpt-*"), NODES.textNode("ptu"),
    NODES.textNode("payg"), NODES.textNode("priority"), NODES.textNode("station"), NODES.textNode("refuse"),
    NODES.textNode("header:x-id"), NODES.textNode("/dev/null"), NODES.textNode("\u0000"), NODES.textNode("a\nb"),
    NODES.arrayNode(), NODES.objectNode()
  };

  @Test
  void theBaseConfigurationIsValidInBothWritings() throws IOException {
    assertThat(ConfigLoader.parse(YAML.writeValueAsString(BASE), "fuzz.yaml", ENV::get).models()).hasSize(2);
    assertThat(ConfigLoader.parse(JSON.writeValueAsString(BASE), "fuzz.yaml", ENV::get).models()).hasSize(2);
  }

  @FuzzTest(maxDuration = "5s")
  void givesAConfigOrItsProblems(FuzzedDataProvider data) {
    String yaml = data.consumeInt(0, 3) == 0 ? data.consumeRemainingAsString() : edited(data);
    SpillwayConfig config;
    try {
      config = ConfigLoader.parse(yaml, "fuzz.yaml", ENV::get);
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      long lines = yaml.lines().count() + 1;
      for (ConfigProblem problem : e.problems()) {
        assertThat(problem.source()).isEqualTo("fuzz.yaml");
        assertThat((long) problem.line()).isBetween(0L, lines);
      }
      if (!yaml.contains(SECRET)) {
        assertThat(e.getMessage()).as("a value from the environment is never shown").doesNotContain(SECRET);
      }
      return;
    }
    assertThat(config).isNotNull();
    assertThat(config.models()).isNotEmpty();
  }

  /** The base document after a few fuzz-chosen edits, written as YAML, maybe with fuzz text spliced in. */
  private static String edited(FuzzedDataProvider data) {
    ObjectNode doc = BASE.deepCopy();
    if (data.consumeBoolean()) { // a smaller document parses faster: leave out some sections
      List<String> sections = new ArrayList<>();
      doc.fieldNames().forEachRemaining(sections::add);
      for (String section : sections) {
        if (!section.equals("models") && data.consumeBoolean()) {
          doc.remove(section);
        }
      }
    }
    int edits = data.consumeInt(1, 3);
    for (int i = 0; i < edits; i++) {
      edit(doc, data);
    }
    String yaml;
    try {
      // Mostly as indented JSON, which is YAML too (flow style) and parses twice as fast as block style.
      yaml = data.consumeInt(0, 3) == 0 ? YAML.writeValueAsString(doc) : JSON.writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (data.consumeInt(0, 5) == 0) {
      int at = data.consumeInt(0, yaml.length());
      yaml = yaml.substring(0, at) + data.consumeString(32) + yaml.substring(at);
    }
    return yaml;
  }

  private static void edit(ObjectNode doc, FuzzedDataProvider data) {
    List<JsonNode> containers = new ArrayList<>();
    collect(doc, containers);
    JsonNode target = containers.get(data.consumeInt(0, containers.size() - 1));
    if (target instanceof ObjectNode map) {
      List<String> names = new ArrayList<>();
      map.fieldNames().forEachRemaining(names::add);
      switch (data.consumeInt(0, 3)) {
        case 0 -> map.set(data.pickValue(KEYS), value(data));
        case 1 -> {
          if (!names.isEmpty()) {
            map.remove(names.get(data.consumeInt(0, names.size() - 1)));
          }
        }
        case 2 -> map.set(data.consumeString(12), value(data));
        default -> {
          if (!names.isEmpty()) {
            map.set(names.get(data.consumeInt(0, names.size() - 1)), value(data));
          }
        }
      }
    } else if (target instanceof ArrayNode list) {
      if (!list.isEmpty() && data.consumeBoolean()) {
        JsonNode item = list.get(data.consumeInt(0, list.size() - 1));
        list.add(data.consumeBoolean() ? item.deepCopy() : value(data));
      } else if (!list.isEmpty()) {
        list.set(data.consumeInt(0, list.size() - 1), value(data));
      } else {
        list.add(value(data));
      }
    }
  }

  private static JsonNode value(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 5)) {
      case 0 -> NODES.textNode(data.consumeString(24));
      case 1 -> NODES.numberNode(data.consumeLong());
      case 2 -> NODES.objectNode().set(data.pickValue(KEYS), data.pickValue(VALUES).deepCopy());
      case 3 -> NODES.arrayNode().add(data.pickValue(VALUES).deepCopy());
      default -> data.pickValue(VALUES).deepCopy();
    };
  }

  private static void collect(JsonNode node, List<JsonNode> containers) {
    if (node.isContainerNode()) {
      containers.add(node);
      node.forEach(child -> collect(child, containers));
    }
  }

  private static ObjectNode base() {
    try {
      return (ObjectNode) YAML.readTree(BASE_YAML);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] keysOf(JsonNode doc) {
    TreeSet<String> keys = new TreeSet<>(List.of("tls", "certFile", "keyFile", "jwt", "issuer", "audiences", "jwksUrl",
        "postgres", "url", "user", "password", "poolSize", "affinity", "header", "cookie", "entra", "tenantId",
        "clientId", "clientSecret", "apiKeyFile", "reserveForCritical", "ptuDemandWindow", "azureSpillover",
        "jwtSubjects", "jwtRole", "critical", "standard", "batch"));
    collectKeys(doc, keys);
    return keys.toArray(String[]::new);
  }

  private static void collectKeys(JsonNode node, TreeSet<String> keys) {
    if (node instanceof ObjectNode map) {
      map.fieldNames().forEachRemaining(keys::add);
    }
    node.forEach(child -> collectKeys(child, keys));
  }
}
