package dev.spillway.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Objects;

/**
 * A look-alike of the two Azure services that describe Azure OpenAI resources, for testing discovery ({@code spillway
 * init}) end to end: Azure Resource Manager's account and deployment calls ({@link ArmApi}) and an Entra ID token
 * endpoint for the client-credentials grant ({@link EntraTokenEndpoint}), on one port. Each {@link Account} is a
 * running {@link Simulator}: ARM reports its deployments and its base URL as the account's endpoint, so what is
 * discovered is what serves. Like the real ARM endpoint, one management plane covers any number of resources.
 *
 * <p>Point a client's ARM endpoint and authority host at {@link #baseUrl()}. Thread-safe.
 */
public final class ManagementPlane {
  /** Deployments per page of a list when {@link Settings} does not say. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  private final HttpServer server;
  private final EntraTokenEndpoint tokens;
  private final ArmApi arm;

  private ManagementPlane(HttpServer server, EntraTokenEndpoint tokens, ArmApi arm) {
    this.server = server;
    this.tokens = tokens;
    this.arm = arm;
  }

  /**
   * One simulated Azure OpenAI resource.
   *
   * @param subscriptionId the subscription in its resource id
   * @param resourceGroup its resource group
   * @param name the account name
   * @param location the Azure region it reports, e.g. {@code eastus}
   * @param simulator the simulator that serves its deployments
   */
  public record Account(String subscriptionId, String resourceGroup, String name, String location, Simulator simulator) {
    public Account {
      Objects.requireNonNull(subscriptionId, "subscriptionId");
      Objects.requireNonNull(resourceGroup, "resourceGroup");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(simulator, "simulator");
    }

    /** {@code /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.CognitiveServices/accounts/{name}}. */
    public String resourceId() {
      return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
          + "/providers/Microsoft.CognitiveServices/accounts/" + name;
    }
  }

  /**
   * @param tenantId the one tenant whose token endpoint answers
   * @param clientId the one client (application) id it knows
   * @param clientSecret that client's secret
   * @param pageSize deployments per page of a list, at least 1 (a smaller list has no {@code nextLink})
   * @param accounts the resources
   */
  public record Settings(String tenantId, String clientId, String clientSecret, int pageSize, List<Account> accounts) {
    public Settings {
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      accounts = List.copyOf(accounts);
      if (pageSize < 1) {
        throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
      }
    }
  }

  /** Starts listening on a free loopback port; completes once bound. */
  public static Future<ManagementPlane> start(Vertx vertx, Settings settings) {
    EntraTokenEndpoint tokens = new EntraTokenEndpoint(settings.tenantId(), settings.clientId(), settings.clientSecret());
    ArmApi arm = new ArmApi(settings.accounts(), tokens, settings.pageSize());
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      req.response().putHeader("x-ms-request-id", java.util.UUID.randomUUID().toString());
      if (EntraTokenEndpoint.matches(req.path())) {
        tokens.handle(req);
      } else {
        arm.handle(req);
      }
    });
    return server.listen(0, "127.0.0.1").map(s -> new ManagementPlane(s, tokens, arm));
  }

  /** {@code http://127.0.0.1:port}: the ARM endpoint and the authority host. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** How many tokens the token endpoint issued. */
  public long tokensIssued() {
    return tokens.issued();
  }

  /** How many pages of deployment lists ARM answered. */
  public long deploymentPagesServed() {
    return arm.pagesServed();
  }

  public Future<Void> close() {
    return server.close();
  }
}
