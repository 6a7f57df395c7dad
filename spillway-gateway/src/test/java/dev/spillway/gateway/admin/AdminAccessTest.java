package dev.spillway.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

class AdminAccessTest {

  @Test
  void onlyLoopbackClientsMayUseTheAdminApi() {
    assertThat(AdminAccess.fromLoopback(SocketAddress.inetSocketAddress(5000, "127.0.0.1"))).isTrue();
    assertThat(AdminAccess.fromLoopback(SocketAddress.inetSocketAddress(5000, "127.8.9.10"))).isTrue();
    assertThat(AdminAccess.fromLoopback(SocketAddress.inetSocketAddress(5000, "::1"))).isTrue();
    assertThat(AdminAccess.fromLoopback(SocketAddress.inetSocketAddress(5000, "10.0.0.7"))).isFalse();
    assertThat(AdminAccess.fromLoopback(SocketAddress.inetSocketAddress(5000, "192.168.1.20"))).isFalse();
    assertThat(AdminAccess.fromLoopback(SocketAddress.inetSocketAddress(5000, "2001:db8::1"))).isFalse();
    assertThat(AdminAccess.fromLoopback(SocketAddress.domainSocketAddress("/tmp/x.sock"))).isFalse();
    assertThat(AdminAccess.fromLoopback(null)).isFalse();
  }
}
