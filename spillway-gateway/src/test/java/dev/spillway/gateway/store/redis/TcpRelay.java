package dev.spillway.gateway.store.redis;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay to a real server that a test can cut and restore, to play an outage of the
 * server without stopping it: while cut, open connections are closed and new ones closed at once.
 */
final class TcpRelay implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean up = true;

  private TcpRelay(Vertx vertx, String targetHost, int targetPort) {
    this.client = vertx.createNetClient();
    this.server =
        vertx.createNetServer()
            .connectHandler(
                inbound -> {
                  if (!up) {
                    inbound.close();
                    return;
                  }
                  inbound.pause();
                  client
                      .connect(targetPort, targetHost)
                      .onSuccess(
                          outbound -> {
                            track(inbound);
                            track(outbound);
                            inbound.pipeTo(outbound);
                            outbound.pipeTo(inbound);
                            inbound.resume();
                          })
                      .onFailure(e -> inbound.close());
                });
  }

  static TcpRelay start(Vertx vertx, String targetHost, int targetPort) throws Exception {
    TcpRelay relay = new TcpRelay(vertx, targetHost, targetPort);
    relay.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return relay;
  }

  int port() {
    return server.actualPort();
  }

  /** Closes every relayed connection and refuses new ones until {@link #restore()}. */
  void cut() {
    up = false;
    sockets.forEach(NetSocket::close);
  }

  void restore() {
    up = true;
  }

  private void track(NetSocket socket) {
    sockets.add(socket);
    socket.closeHandler(v -> sockets.remove(socket));
  }

  @Override
  public void close() throws Exception {
    cut();
    server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    client.close();
  }
}
